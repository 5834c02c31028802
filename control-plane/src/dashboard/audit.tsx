/**
 * `GET /audit` (admin): the audit log, newest first, a page at a time (`before` in the
 * URL): when, who (a member by email, else the actor as recorded: the bootstrap token,
 * an API token, a webhook), what, to what, and the change's before and after.
 */
import { z } from 'zod';
import { type AuditRecord, listAudit } from '../store/audit.ts';
import { listMembers } from '../store/members.ts';
import { utcTime } from './format.ts';
import { type DashboardContext, renderPage } from './page.tsx';

const PAGE_SIZE = 50;
const MEMBER_ACTOR = /^member:(.+)$/;

export async function auditPage(c: DashboardContext) {
  const before = z.coerce.number().int().min(1).safeParse(c.req.query('before')).data;
  const [entries, members] = await Promise.all([
    listAudit(c.env.DB, { limit: PAGE_SIZE, before }),
    listMembers(c.env.DB),
  ]);
  const emails = new Map(members.map((member) => [member.id, member.email]));
  const who = (actor: string) => {
    const memberId = MEMBER_ACTOR.exec(actor)?.[1];
    return memberId ? (emails.get(memberId) ?? actor) : actor;
  };
  return renderPage(
    c,
    { title: 'Audit log', section: 'audit' },
    <>
      <h1>Audit log</h1>
      {entries.length === 0 ? (
        <p class="muted">Nothing has changed yet.</p>
      ) : (
        <table class="audit" data-audit>
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Target</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditRow entry={entry} who={who(entry.actor)} />
            ))}
          </tbody>
        </table>
      )}
      {entries.length === PAGE_SIZE && (
        <p>
          <a href={`/audit?before=${entries.at(-1)!.id}`}>Older entries</a>
        </p>
      )}
    </>,
  );
}

function AuditRow({ entry, who }: { readonly entry: AuditRecord; readonly who: string }) {
  const { before, after, ...rest } = entry.details ?? {};
  const context = Object.keys(rest).length > 0 ? rest : undefined;
  return (
    <tr>
      <td>{utcTime(entry.at)}</td>
      <td>{who}</td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>
        {entry.target}
        {context && <Json value={context} />}
      </td>
      <td>{before !== undefined && <Json value={before} />}</td>
      <td>{after !== undefined && <Json value={after} />}</td>
    </tr>
  );
}

function Json({ value }: { readonly value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 1)}</pre>;
}
