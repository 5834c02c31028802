/**
 * The team section. `GET /team` (admin): the members with their roles and the API tokens
 * of each; with the forms the member's role allows: invite a member (`POST /team/members`;
 * a password left empty is generated and shown once), change a role
 * (`POST /team/members/:id/role`, owners), remove a member (`POST /team/members/:id/remove`,
 * confirmed with a checkbox), create a token (`POST /team/tokens`, shown once) and revoke
 * one (`POST /team/tokens/:id/revoke`). The rules are members/manage-members.ts's and
 * members/api-tokens.ts's, as for the API.
 */
import { z } from 'zod';
import { memberFailureProblem } from '../api/member-problems.ts';
import { ROLES, RoleSchema, roleAllows } from '../auth/roles.ts';
import { EmailSchema, MemberNameSchema, PasswordSchema } from '../members/fields.ts';
import { inviteMember, removeMember, setMemberRole } from '../members/manage-members.ts';
import { listMembers, type MemberRecord } from '../store/members.ts';
import { listTokens } from '../store/tokens.ts';
import { utcTime } from './format.ts';
import { CsrfField, readForm } from './forms.tsx';
import { can, type DashboardContext, problemPage, renderPage } from './page.tsx';
import { invalidForm } from './problems.ts';
import { secretOncePage } from './secret-once.tsx';
import { TokensSection } from './team-tokens.tsx';

export const TEAM_PATH = '/team';

/** An empty text field counts as left out. */
const optionalField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const InviteForm = z.object({
  email: EmailSchema,
  name: optionalField(MemberNameSchema),
  role: RoleSchema,
  password: optionalField(PasswordSchema),
});
const RoleForm = z.object({ role: RoleSchema });
const RemoveForm = z.object({ confirm: z.literal('yes', 'tick the box to confirm the removal') });

export async function teamPage(c: DashboardContext) {
  const [members, tokens] = await Promise.all([
    listMembers(c.env.DB),
    can(c, 'token.read') ? listTokens(c.env.DB) : [],
  ]);
  const csrf = c.get('csrfToken') ?? '';
  const grantable = ROLES.filter((role) => roleAllows(c.get('principal').role, role));
  const roleOptions = (selected?: string) =>
    grantable.map((role) => (
      <option value={role} selected={role === selected}>
        {role}
      </option>
    ));
  return renderPage(
    c,
    { title: 'Team', section: 'team' },
    <>
      <h1>Team</h1>
      {can(c, 'member.invite') && (
        <form method="post" action={`${TEAM_PATH}/members`} class="inline-form" data-form="invite">
          <CsrfField token={csrf} />
          <label>
            Email <input type="email" name="email" required />
          </label>
          <label>
            Name <input name="name" />
          </label>
          <label>
            Role <select name="role">{roleOptions('viewer')}</select>
          </label>
          <label>
            Password{' '}
            <input
              type="password"
              name="password"
              placeholder="empty: generate one"
              autocomplete="new-password"
            />
          </label>
          <button type="submit">Invite member</button>
        </form>
      )}
      <MembersTable c={c} members={members} roleOptions={roleOptions} />
      {can(c, 'token.read') && (
        <TokensSection c={c} members={members} tokens={tokens} roleOptions={roleOptions} />
      )}
    </>,
  );
}

function MembersTable(props: {
  readonly c: DashboardContext;
  readonly members: readonly MemberRecord[];
  readonly roleOptions: (selected: string) => unknown;
}) {
  const { c } = props;
  const csrf = c.get('csrfToken') ?? '';
  return (
    <table data-members>
      <thead>
        <tr>
          <th>Name</th>
          <th>Email</th>
          <th>Role</th>
          <th>Status</th>
          <th>Member since (UTC)</th>
          {can(c, 'member.remove') && <th />}
        </tr>
      </thead>
      <tbody>
        {props.members.map((member) => (
          <tr data-member={member.email}>
            <td>{member.name}</td>
            <td>{member.email}</td>
            <td>
              {can(c, 'member.role.set') ? (
                <form method="post" action={`${TEAM_PATH}/members/${member.id}/role`} class="row-form">
                  <CsrfField token={csrf} />
                  <select name="role" aria-label={`Role of ${member.email}`}>
                    {props.roleOptions(member.role)}
                  </select>
                  <button type="submit" class="secondary">
                    Save
                  </button>
                </form>
              ) : (
                member.role
              )}
            </td>
            <td>{member.disabledAt ? `disabled ${utcTime(member.disabledAt)}` : 'enabled'}</td>
            <td>{utcTime(member.createdAt)}</td>
            {can(c, 'member.remove') && (
              <td>
                <form method="post" action={`${TEAM_PATH}/members/${member.id}/remove`} class="row-form">
                  <CsrfField token={csrf} />
                  <label class="confirm-box">
                    <input type="checkbox" name="confirm" value="yes" required /> sure
                  </label>
                  <button type="submit" class="danger">
                    Remove
                  </button>
                </form>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `POST /team/members`: invites the member; a generated password is shown once. */
export async function inviteAction(c: DashboardContext) {
  const form = await readForm(c, InviteForm);
  if (!form.ok) return problemPage(c, 'team', invalidForm(form.error), TEAM_PATH);
  const invited = await inviteMember(c.env.DB, c.get('principal'), form.value);
  if (!invited.ok) return problemPage(c, 'team', memberFailureProblem(invited.error), TEAM_PATH);
  const { member, generatedPassword } = invited.value;
  if (generatedPassword === null) return c.redirect(TEAM_PATH, 303);
  return secretOncePage(c, {
    title: 'Member invited',
    section: 'team',
    label: `The password of ${member.email} (${member.role}); give it to them to sign in`,
    secret: generatedPassword,
    back: { href: TEAM_PATH, text: 'Back to the team' },
  });
}

/** `POST /team/members/:id/role`. */
export async function setRoleAction(c: DashboardContext) {
  const form = await readForm(c, RoleForm);
  if (!form.ok) return problemPage(c, 'team', invalidForm(form.error), TEAM_PATH);
  const changed = await setMemberRole(c.env.DB, c.get('principal'), c.req.param('id') ?? '', form.value.role);
  return changed.ok
    ? c.redirect(TEAM_PATH, 303)
    : problemPage(c, 'team', memberFailureProblem(changed.error), TEAM_PATH);
}

/** `POST /team/members/:id/remove`, with its confirmation box ticked. */
export async function removeAction(c: DashboardContext) {
  const form = await readForm(c, RemoveForm);
  if (!form.ok) return problemPage(c, 'team', invalidForm(form.error), TEAM_PATH);
  const removed = await removeMember(c.env.DB, c.get('principal'), c.req.param('id') ?? '');
  return removed.ok
    ? c.redirect(TEAM_PATH, 303)
    : problemPage(c, 'team', memberFailureProblem(removed.error), TEAM_PATH);
}
