/**
 * A consumer and its API keys. `GET /consumers/:name` lists the keys by id and hint
 * (never a hash) with their state; a member who may write keys gets the forms that create
 * one (`POST /consumers/:name/keys`), roll one (`POST /keys/:id/roll`: a replacement, the
 * old key working on for the default grace period) and revoke one
 * (`POST /keys/:id/revoke`). A new key is shown once (secret-once.tsx). The work is done
 * by consumers/issue-keys.ts and withdraw-keys.ts, as for the API.
 */
import { z } from 'zod';
import { KeySetSchema } from '../../../src/config/api-keys.ts';
import { consumersFailureProblem } from '../api/consumer-problems.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS, FutureTimeSchema } from '../consumers/fields.ts';
import { createKey, type IssuedKey, rollKey } from '../consumers/issue-keys.ts';
import { keyState } from '../consumers/key-state.ts';
import { revokeKey } from '../consumers/withdraw-keys.ts';
import { listApiKeys, type StoredApiKey } from '../store/api-keys.ts';
import { findConsumerById, findConsumerByName } from '../store/consumers.ts';
import { consumerPath } from './consumers.tsx';
import { utcTime } from './format.ts';
import { CsrfField, PostButton, readForm } from './forms.tsx';
import { can, type DashboardContext, problemPage, renderPage } from './page.tsx';
import { invalidForm } from './problems.ts';
import { secretOncePage } from './secret-once.tsx';

const CreateKeyForm = z.object({
  keySet: KeySetSchema.default('live'),
  /** A date input's `YYYY-MM-DD`, the key expiring at its start (UTC); empty for no expiry. */
  expiresOn: z
    .string()
    .default('')
    .transform((date) => (date === '' ? null : `${date}T00:00:00Z`))
    .pipe(FutureTimeSchema.nullable()),
});

const consumerNotFound = consumersFailureProblem({ kind: 'consumer-not-found' });
const GRACE_HOURS = DEFAULT_GRACE_PERIOD_SECONDS / 3600;

export async function consumerPage(c: DashboardContext) {
  const consumer = await findConsumerByName(c.env.DB, c.req.param('name') ?? '');
  if (!consumer) return problemPage(c, 'consumers', consumerNotFound, '/consumers');
  const keys = await listApiKeys(c.env.DB, consumer.id);
  const mayWrite = can(c, 'key.write');
  const csrf = c.get('csrfToken') ?? '';
  const now = new Date();
  return renderPage(
    c,
    { title: consumer.name, section: 'consumers' },
    <>
      <p>
        <a href="/consumers">Consumers</a> /
      </p>
      <h1>{consumer.name}</h1>
      <p class="muted">
        <code>{consumer.id}</code>
        {consumer.tags.length > 0 && <> · tags {consumer.tags.join(', ')}</>}
        {consumer.plan && <> · plan {consumer.plan}</>} · created {utcTime(consumer.createdAt)} by{' '}
        {consumer.createdBy}
      </p>
      <h2>API keys</h2>
      {mayWrite && (
        <form
          method="post"
          action={`${consumerPath(consumer.name)}/keys`}
          class="inline-form"
          data-form="create-key"
        >
          <CsrfField token={csrf} />
          <label>
            Key set{' '}
            <select name="keySet">
              <option value="live">live</option>
              <option value="test">test</option>
            </select>
          </label>
          <label>
            Expires on (optional) <input type="date" name="expiresOn" />
          </label>
          <button type="submit">Create key</button>
        </form>
      )}
      {keys.length === 0 ? (
        <p class="muted">No keys.</p>
      ) : (
        <table data-keys>
          <thead>
            <tr>
              <th>Key</th>
              <th>Set</th>
              <th>State</th>
              <th>Created (UTC)</th>
              <th>Expires (UTC)</th>
              {mayWrite && <th />}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <KeyRow apiKey={key} state={keyState(key, now)} csrf={mayWrite ? csrf : null} />
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}

function KeyRow(props: {
  readonly apiKey: StoredApiKey;
  readonly state: string;
  readonly csrf: string | null;
}) {
  const { apiKey: key, state, csrf } = props;
  const working = state === 'active' || state === 'expiring';
  return (
    <tr data-key={key.id}>
      <td>
        <code>{key.hint}…</code> <span class="muted">{key.id}</span>
      </td>
      <td>{key.keySet}</td>
      <td>
        <span class={`status status-${state}`}>{state}</span>
        {key.rolledInto && <span class="muted"> rolled into {key.rolledInto}</span>}
      </td>
      <td>{utcTime(key.createdAt)}</td>
      <td>{key.expiresAt ? utcTime(key.expiresAt) : 'never'}</td>
      {csrf !== null && (
        <td class="actions">
          {working && key.rolledInto === null && (
            <PostButton
              action={`/keys/${key.id}/roll`}
              csrf={csrf}
              label="Roll"
              variant="secondary"
              title={`The old key works for ${GRACE_HOURS} more hours`}
            />
          )}
          {key.revokedAt === null && (
            <PostButton action={`/keys/${key.id}/revoke`} csrf={csrf} label="Revoke" variant="danger" />
          )}
        </td>
      )}
    </tr>
  );
}

/** `POST /consumers/:name/keys`: issues a key and shows it once. */
export async function createKeyAction(c: DashboardContext) {
  const name = c.req.param('name') ?? '';
  const back = consumerPath(name);
  const form = await readForm(c, CreateKeyForm);
  if (!form.ok) return problemPage(c, 'consumers', invalidForm(form.error), back);
  const issued = await createKey(
    c.get('deploy'),
    name,
    { keySet: form.value.keySet, expiresAt: form.value.expiresOn },
    c.get('principal').actor,
  );
  if (!issued.ok) return problemPage(c, 'consumers', consumersFailureProblem(issued.error), back);
  return keyOncePage(c, issued.value, 'API key created');
}

/** `POST /keys/:id/roll`: issues the replacement, shows it once; the old key works on for the grace period. */
export async function rollKeyAction(c: DashboardContext) {
  const rolled = await rollKey(
    c.get('deploy'),
    c.req.param('id') ?? '',
    DEFAULT_GRACE_PERIOD_SECONDS,
    c.get('principal').actor,
  );
  if (!rolled.ok) return problemPage(c, 'consumers', consumersFailureProblem(rolled.error), '/consumers');
  const note = `The key it replaces, ${rolled.value.previous.id}, keeps working until ${utcTime(rolled.value.previous.expiresAt!)}.`;
  return keyOncePage(c, rolled.value, 'API key rolled', note);
}

/** `POST /keys/:id/revoke`: revokes the key at once, then shows its consumer. */
export async function revokeKeyAction(c: DashboardContext) {
  const revoked = await revokeKey(c.get('deploy'), c.req.param('id') ?? '', c.get('principal').actor);
  if (!revoked.ok) return problemPage(c, 'consumers', consumersFailureProblem(revoked.error), '/consumers');
  const consumer = await findConsumerById(c.env.DB, revoked.value.consumerId);
  return c.redirect(consumer ? consumerPath(consumer.name) : '/consumers', 303);
}

function keyOncePage(c: DashboardContext, issued: IssuedKey, title: string, note?: string) {
  return secretOncePage(c, {
    title,
    section: 'consumers',
    label: `API key ${issued.key.id} for ${issued.consumer.name}`,
    secret: issued.plaintext,
    note,
    back: { href: consumerPath(issued.consumer.name), text: `Back to ${issued.consumer.name}` },
  });
}
