/**
 * /api/v1/members: the team. Admins list members, invite them (with a password, or one
 * generated and answered this once), disable, enable and remove them; owners set roles.
 * A member is named in the path by id or email. Who may touch whom, and the last owner,
 * are checked in members/manage-members.ts; every change is audited with its before and
 * after. The first owner is invited with the bootstrap ADMIN_TOKEN.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { RoleSchema } from '../auth/roles.ts';
import { EmailSchema, MemberNameSchema, PasswordSchema } from '../members/fields.ts';
import { inviteMember, removeMember, setMemberDisabled, setMemberRole } from '../members/manage-members.ts';
import { listMembers } from '../store/members.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { memberFailureProblem } from './member-problems.ts';
import { problem } from './problems.ts';
import { validate } from './validation.ts';

const MemberParam = z.object({ member: z.string().min(1).max(254) });
const InviteBody = z.strictObject({
  email: EmailSchema,
  name: MemberNameSchema.optional(),
  role: RoleSchema,
  password: PasswordSchema.optional(),
});
const RoleBody = z.strictObject({ role: RoleSchema });

export const memberRoutes = new Hono<AppEnv>()
  .get('/', authorize('member.read'), async (c) => c.json({ members: await listMembers(c.env.DB) }))
  .post('/', authorize('member.invite'), validate('json', InviteBody), async (c) => {
    const result = await inviteMember(c.env.DB, c.get('principal'), c.req.valid('json'));
    if (!result.ok) return problem(c, memberFailureProblem(result.error));
    const { member, generatedPassword } = result.value;
    const answer = generatedPassword === null ? member : { ...member, password: generatedPassword };
    return c.json(answer, 201, { location: `/api/v1/members/${member.id}` });
  })
  .put(
    '/:member/role',
    authorize('member.role.set'),
    validate('param', MemberParam),
    validate('json', RoleBody),
    async (c) => {
      const { member } = c.req.valid('param');
      const result = await setMemberRole(c.env.DB, c.get('principal'), member, c.req.valid('json').role);
      return result.ok ? c.json(result.value) : problem(c, memberFailureProblem(result.error));
    },
  )
  .post(
    '/:member/:change{disable|enable}',
    authorize('member.disable'),
    validate('param', MemberParam),
    async (c) => {
      const { member } = c.req.valid('param');
      const disabled = c.req.param('change') === 'disable';
      const result = await setMemberDisabled(c.env.DB, c.get('principal'), member, disabled);
      return result.ok ? c.json(result.value) : problem(c, memberFailureProblem(result.error));
    },
  )
  .delete('/:member', authorize('member.remove'), validate('param', MemberParam), async (c) => {
    const result = await removeMember(c.env.DB, c.get('principal'), c.req.valid('param').member);
    return result.ok ? c.body(null, 204) : problem(c, memberFailureProblem(result.error));
  });
