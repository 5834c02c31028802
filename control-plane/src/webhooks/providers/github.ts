/**
 * GitHub: github.com, and GitHub Enterprise Server with `apiBaseUrl` `https://<host>/api/v3`.
 * - Delivery headers (docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers):
 *   `X-GitHub-Event`; `X-GitHub-Delivery`, a GUID a redelivery keeps; and
 *   `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body under the webhook
 *   secret (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries). The
 *   legacy SHA-1 `X-Hub-Signature` is never accepted. The signature covers no time, so the
 *   replay window runs from the signed payload's `repository.pushed_at` (Unix seconds).
 * - Push payload (…/webhook-events-and-payloads#push): `ref`, `after`, `head_commit` (null
 *   when the push deleted the ref), `pusher`, `repository.full_name`.
 * - Archive (docs.github.com/en/rest/repos/contents#download-a-repository-archive-tar):
 *   `GET /repos/{owner}/{repo}/tarball/{ref}` redirects to a short-lived download URL.
 */
import { z } from 'zod';
import { err, ok } from '../../../../src/config/result.ts';
import { authorOf, CommitIdSchema, type Provider } from '../provider.ts';
import { hexHmacMatches } from '../signatures.ts';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const DELIVERY_HEADER = 'x-github-delivery';
const MIN_SECRET_CHARS = 16;

const RepositorySchema = z.object({ repository: z.object({ full_name: z.string() }) });

const PushSchema = z.object({
  ref: z.string().min(1),
  after: CommitIdSchema,
  repository: z.object({ pushed_at: z.union([z.number(), z.string()]).nullish() }),
  head_commit: z
    .object({
      message: z.string(),
      author: z.object({ name: z.string(), email: z.string().nullish() }),
    })
    .nullish(),
  pusher: z.object({ name: z.string(), email: z.string().nullish() }),
});

export const github: Provider = {
  name: 'github',
  defaultApiBaseUrl: 'https://api.github.com',
  repositoryPath: {
    pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    expected: 'a GitHub repository is "owner/name"',
  },
  secretProblem: (secret) =>
    secret.length >= MIN_SECRET_CHARS ? null : `a webhook secret has at least ${MIN_SECRET_CHARS} characters`,
  event: (headers) => headers.get('x-github-event'),
  pushEvent: 'push',
  repositoryOf: (payload) => RepositorySchema.safeParse(payload).data?.repository.full_name ?? null,

  async authenticate({ headers, body }, secret) {
    const header = headers.get(SIGNATURE_HEADER);
    if (header === null) return err({ kind: 'missing-signature', header: 'X-Hub-Signature-256' });
    const presented = /^sha256=(.+)$/.exec(header)?.[1] ?? '';
    if (!(await hexHmacMatches(presented, secret, body))) return err({ kind: 'bad-signature' });
    const id = headers.get(DELIVERY_HEADER);
    if (!id) return err({ kind: 'missing-delivery-id', header: 'X-GitHub-Delivery' });
    return ok({ id, signedAt: null });
  },

  parsePush(payload) {
    const push = PushSchema.safeParse(payload).data;
    if (!push) return null;
    const pushedAt = push.repository.pushed_at;
    return {
      ref: push.ref,
      after: push.after,
      author: push.head_commit
        ? authorOf(push.head_commit.author.name, push.head_commit.author.email)
        : authorOf(push.pusher.name, push.pusher.email),
      message: push.head_commit?.message ?? '',
      pushedAt:
        typeof pushedAt === 'number' ? pushedAt * 1000 : pushedAt ? Date.parse(pushedAt) || null : null,
    };
  },

  archiveRequest: (repository, commit, token) => ({
    url: `${repository.apiBaseUrl}/repos/${repository.repository}/tarball/${commit}`,
    credentials: { authorization: `Bearer ${token}` },
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  }),
};
