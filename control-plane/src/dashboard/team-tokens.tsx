/**
 * The team page's API tokens: every token with its member, role and state, the form that
 * creates one (`POST /team/tokens`; the token is shown once) and the buttons that revoke
 * one (`POST /team/tokens/:id/revoke`), through members/api-tokens.ts as for the API.
 */
import { z } from 'zod';
import { memberFailureProblem } from '../api/member-problems.ts';
import { tokenNotFound } from '../api/problems.ts';
import { RoleSchema } from '../auth/roles.ts';
import { issueApiToken, revokeApiToken } from '../members/api-tokens.ts';
import type { MemberRecord } from '../store/members.ts';
import type { TokenRecord } from '../store/tokens.ts';
import { utcTime } from './format.ts';
import { CsrfField, PostButton, readForm } from './forms.tsx';
import { can, type DashboardContext, problemPage } from './page.tsx';
import { invalidForm } from './problems.ts';
import { secretOncePage } from './secret-once.tsx';
import { TEAM_PATH } from './team.tsx';

const TokenForm = z.object({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
  member: z.string().min(1).max(254),
});

export function TokensSection(props: {
  readonly c: DashboardContext;
  readonly members: readonly MemberRecord[];
  readonly tokens: readonly TokenRecord[];
  readonly roleOptions: (selected: string) => unknown;
}) {
  const { c, members } = props;
  return (
    <section>
      <h2>API tokens</h2>
      {can(c, 'token.create') && (
        <form method="post" action={`${TEAM_PATH}/tokens`} class="inline-form" data-form="create-token">
          <CsrfField token={c.get('csrfToken') ?? ''} />
          <label>
            Name <input name="name" required placeholder="ci deploys" />
          </label>
          <label>
            Member{' '}
            <select name="member">
              {members.map((member) => (
                <option value={member.id}>{member.email}</option>
              ))}
            </select>
          </label>
          <label>
            Role <select name="role">{props.roleOptions('deployer')}</select>
          </label>
          <button type="submit">Create token</button>
        </form>
      )}
      <TokensTable c={c} tokens={props.tokens} members={members} />
    </section>
  );
}

function TokensTable(props: {
  readonly c: DashboardContext;
  readonly tokens: readonly TokenRecord[];
  readonly members: readonly MemberRecord[];
}) {
  const emails = new Map(props.members.map((member) => [member.id, member.email]));
  const mayRevoke = can(props.c, 'token.revoke');
  if (props.tokens.length === 0) return <p class="muted">No API tokens.</p>;
  return (
    <table data-tokens>
      <thead>
        <tr>
          <th>Token</th>
          <th>Member</th>
          <th>Role</th>
          <th>Created (UTC)</th>
          <th>State</th>
          {mayRevoke && <th />}
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((token) => (
          <tr data-token={token.id}>
            <td>
              {token.name} <span class="muted">{token.id}</span>
            </td>
            <td>{token.memberId ? (emails.get(token.memberId) ?? token.memberId) : '(none)'}</td>
            <td>{token.role}</td>
            <td>{utcTime(token.createdAt)}</td>
            <td>{token.revokedAt ? `revoked ${utcTime(token.revokedAt)}` : 'active'}</td>
            {mayRevoke && (
              <td>
                {token.revokedAt === null && (
                  <PostButton
                    action={`${TEAM_PATH}/tokens/${token.id}/revoke`}
                    csrf={props.c.get('csrfToken') ?? ''}
                    label="Revoke"
                    variant="danger"
                  />
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `POST /team/tokens`: creates the token and shows it once. */
export async function createTokenAction(c: DashboardContext) {
  const form = await readForm(c, TokenForm);
  if (!form.ok) return problemPage(c, 'team', invalidForm(form.error), TEAM_PATH);
  const issued = await issueApiToken(c.env.DB, c.get('principal'), form.value);
  if (!issued.ok) return problemPage(c, 'team', memberFailureProblem(issued.error), TEAM_PATH);
  const { record, token } = issued.value;
  return secretOncePage(c, {
    title: 'API token created',
    section: 'team',
    label: `API token ${record.name} (${record.id}, ${record.role}); send it as Authorization: Bearer`,
    secret: token,
    back: { href: TEAM_PATH, text: 'Back to the team' },
  });
}

/** `POST /team/tokens/:id/revoke`. */
export async function revokeTokenAction(c: DashboardContext) {
  const outcome = await revokeApiToken(c.env.DB, c.get('principal').actor, c.req.param('id') ?? '');
  if (outcome === 'not-found') return problemPage(c, 'team', tokenNotFound, TEAM_PATH);
  return c.redirect(TEAM_PATH, 303);
}
