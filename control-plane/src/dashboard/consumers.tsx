/**
 * The consumers section's list. `GET /consumers`: every consumer (by name, a page at a
 * time) with its tags and plan, each linking to its keys (keys.tsx); for a member who
 * may write consumers, the form that creates one (`POST /consumers`), through the same
 * consumers/create-consumer.ts as the API.
 */
import { z } from 'zod';
import { consumerExists } from '../api/consumer-problems.ts';
import { createConsumer } from '../consumers/create-consumer.ts';
import { ConsumerNameSchema, PlanSchema, TagsSchema } from '../consumers/fields.ts';
import { listConsumers } from '../store/consumers.ts';
import { utcTime } from './format.ts';
import { CsrfField, readForm } from './forms.tsx';
import { can, type DashboardContext, problemPage, renderPage } from './page.tsx';
import { invalidForm } from './problems.ts';

const PAGE_SIZE = 100;

const CreateConsumerForm = z.object({
  name: ConsumerNameSchema,
  /** Comma- or space-separated. */
  tags: z
    .string()
    .default('')
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .pipe(TagsSchema),
  plan: z
    .string()
    .default('')
    .transform((text) => text.trim() || null)
    .pipe(PlanSchema.nullable()),
});

export function consumerPath(name: string): string {
  return `/consumers/${encodeURIComponent(name)}`;
}

export async function consumersPage(c: DashboardContext) {
  const after = ConsumerNameSchema.safeParse(c.req.query('after')).data;
  const consumers = await listConsumers(c.env.DB, { limit: PAGE_SIZE, after });
  const next = consumers.length === PAGE_SIZE ? consumers.at(-1)!.name : null;
  return renderPage(
    c,
    { title: 'Consumers', section: 'consumers' },
    <>
      <h1>Consumers</h1>
      {can(c, 'consumer.write') && (
        <form method="post" action="/consumers" class="inline-form" data-form="create-consumer">
          <CsrfField token={c.get('csrfToken') ?? ''} />
          <label>
            Name <input name="name" required pattern="[A-Za-z0-9._\-]{1,64}" placeholder="acme-mobile" />
          </label>
          <label>
            Tags <input name="tags" placeholder="partner, mobile" />
          </label>
          <label>
            Plan <input name="plan" placeholder="gold" />
          </label>
          <button type="submit">Create consumer</button>
        </form>
      )}
      {consumers.length === 0 ? (
        <p class="muted">No consumers yet.</p>
      ) : (
        <table data-consumers>
          <thead>
            <tr>
              <th>Name</th>
              <th>Tags</th>
              <th>Plan</th>
              <th>Created (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map((consumer) => (
              <tr>
                <td>
                  <a href={consumerPath(consumer.name)}>{consumer.name}</a>
                </td>
                <td>{consumer.tags.join(', ')}</td>
                <td>{consumer.plan ?? ''}</td>
                <td>{utcTime(consumer.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <p>
          <a href={`/consumers?${new URLSearchParams({ after: next })}`}>More consumers</a>
        </p>
      )}
    </>,
  );
}

/** `POST /consumers`: creates the consumer, then shows it. */
export async function createConsumerAction(c: DashboardContext) {
  const form = await readForm(c, CreateConsumerForm);
  if (!form.ok) return problemPage(c, 'consumers', invalidForm(form.error), '/consumers');
  const created = await createConsumer(c.env.DB, { ...form.value, metadata: {} }, c.get('principal').actor);
  if (!created.ok) return problemPage(c, 'consumers', consumerExists(form.value.name), '/consumers');
  return c.redirect(consumerPath(created.value.name), 303);
}
