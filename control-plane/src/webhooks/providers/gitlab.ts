/**
 * GitLab: gitlab.com, and self-managed GitLab with `apiBaseUrl` `https://<host>/api/v4`.
 * The registered secret decides how a delivery is authenticated; the request never does.
 * - A signing token, `whsec_<base64 key>` (gitlab-org/gitlab!230944, behind the
 *   `webhook_signing_token` feature flag; the Standard Webhooks scheme): `webhook-signature`
 *   holds space-separated `v1,<base64>` HMAC-SHA256s of `<webhook-id>.<webhook-timestamp>.<raw
 *   body>` under the decoded key. The timestamp is signed, so it is the replay window's
 *   clock; `webhook-id` (GitLab's Idempotency-Key) is the dedupe key. Preferred.
 * - Any other secret is a secret token (docs.gitlab.com/user/project/integrations/webhooks,
 *   "Validate payloads by using a secret token"), which GitLab sends as it is in
 *   `X-Gitlab-Token`; it is compared in constant time. It signs nothing and carries no time,
 *   so only dedupe stops a replay: by `Idempotency-Key` (kept across retries since GitLab
 *   17.4), else `X-Gitlab-Event-UUID`. Offered because signing tokens are not yet on every
 *   GitLab.
 * - Push payload (docs.gitlab.com/user/project/integrations/webhook_events, "Push events"):
 *   `X-Gitlab-Event: Push Hook`; `ref`, `after`, `user_name`, `user_email`, `commits` (the
 *   last 20), `project.path_with_namespace`.
 * - Archive (docs.gitlab.com/api/repositories, "Get file archive"):
 *   `GET /projects/{url-encoded path}/repository/archive.tar.gz?sha={sha}`, `PRIVATE-TOKEN`.
 */
import { z } from 'zod';
import { base64ToBytes } from '../../../../src/config/base64.ts';
import { err, ok, type Result } from '../../../../src/config/result.ts';
import { secretsEqual } from '../../auth/token-crypto.ts';
import {
  type AuthFailure,
  authorOf,
  CommitIdSchema,
  type Delivery,
  type Provider,
  type SignedRequest,
} from '../provider.ts';
import { bytesEqual, concatBytes, hmacSha256 } from '../signatures.ts';

const SIGNING_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const MIN_TOKEN_CHARS = 16;

const RepositorySchema = z.object({ project: z.object({ path_with_namespace: z.string() }) });

const PushSchema = z.object({
  object_kind: z.literal('push'),
  ref: z.string().min(1),
  after: CommitIdSchema,
  user_name: z.string(),
  user_email: z.string().nullish(),
  commits: z
    .array(
      z.object({
        id: z.string(),
        message: z.string(),
        author: z.object({ name: z.string(), email: z.string().nullish() }),
      }),
    )
    .default([]),
});

export const gitlab: Provider = {
  name: 'gitlab',
  defaultApiBaseUrl: 'https://gitlab.com/api/v4',
  repositoryPath: {
    pattern: /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/,
    expected: 'a GitLab project path is "group/project" or "group/subgroup/…/project"',
  },
  secretProblem(secret) {
    if (!secret.startsWith(SIGNING_PREFIX)) {
      return secret.length >= MIN_TOKEN_CHARS
        ? null
        : `a secret token has at least ${MIN_TOKEN_CHARS} characters`;
    }
    return signingKey(secret)
      ? null
      : `a signing token is "${SIGNING_PREFIX}" and base64 of ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes`;
  },
  event: (headers) => headers.get('x-gitlab-event'),
  pushEvent: 'Push Hook',
  repositoryOf: (payload) => RepositorySchema.safeParse(payload).data?.project.path_with_namespace ?? null,
  authenticate: (request, secret) =>
    secret.startsWith(SIGNING_PREFIX) ? verifySigned(request, secret) : verifyToken(request, secret),

  parsePush(payload) {
    const push = PushSchema.safeParse(payload).data;
    if (!push) return null;
    const head = push.commits.find((commit) => commit.id === push.after);
    return {
      ref: push.ref,
      after: push.after,
      author: head
        ? authorOf(head.author.name, head.author.email)
        : authorOf(push.user_name, push.user_email),
      message: head?.message ?? '',
      pushedAt: null,
    };
  },

  archiveRequest: (repository, commit, token) => ({
    url: `${repository.apiBaseUrl}/projects/${encodeURIComponent(repository.repository)}/repository/archive.tar.gz?sha=${commit}`,
    credentials: { 'private-token': token },
    headers: {},
  }),
};

async function verifySigned(
  { headers, body }: SignedRequest,
  secret: string,
): Promise<Result<Delivery, AuthFailure>> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures) {
    return err({ kind: 'missing-signature', header: 'webhook-id, webhook-timestamp and webhook-signature' });
  }
  const key = signingKey(secret)!;
  const expected = await hmacSha256(key, concatBytes(new TextEncoder().encode(`${id}.${timestamp}.`), body));
  const matches = signatures.split(' ').some((entry) => {
    const presented = entry.startsWith('v1,') ? base64ToBytes(entry.slice(3)) : null;
    return presented !== null && bytesEqual(presented, expected);
  });
  if (!matches || !/^\d{1,12}$/.test(timestamp)) return err({ kind: 'bad-signature' });
  return ok({ id, signedAt: Number(timestamp) * 1000 });
}

async function verifyToken(
  { headers }: SignedRequest,
  secret: string,
): Promise<Result<Delivery, AuthFailure>> {
  const token = headers.get('x-gitlab-token');
  if (token === null) return err({ kind: 'missing-signature', header: 'X-Gitlab-Token' });
  if (!(await secretsEqual(token, secret))) return err({ kind: 'bad-signature' });
  const id = headers.get('idempotency-key') ?? headers.get('x-gitlab-event-uuid');
  if (!id) return err({ kind: 'missing-delivery-id', header: 'Idempotency-Key or X-Gitlab-Event-UUID' });
  return ok({ id, signedAt: null });
}

function signingKey(secret: string): Uint8Array | null {
  const key = base64ToBytes(secret.slice(SIGNING_PREFIX.length));
  return key && key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : null;
}
