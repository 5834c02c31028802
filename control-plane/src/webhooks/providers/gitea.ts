/**
 * Gitea and Forgejo (a Gitea fork that keeps its webhook and API shapes), self-hosted only:
 * `apiBaseUrl` `https://<host>/api/v1` has no default. Forgejo sends its own `X-Forgejo-*`
 * headers next to the `X-Gitea-*` ones; either family is accepted, Forgejo's first.
 * - Delivery headers (docs.gitea.com/usage/webhooks; forgejo.org/docs/latest/user/webhooks):
 *   `X-Gitea-Event: push`; `X-Gitea-Delivery`, a UUID; `X-Gitea-Signature`, the bare hex
 *   HMAC-SHA256 of the raw body under the webhook secret.
 * - Push payload: `ref`, `after`, `commits[]`, `head_commit`, `pusher` (`login`,
 *   `full_name`, `email`), `repository.full_name`. It carries no push time: `commits[].
 *   timestamp` is when a commit was authored, which may be long before it is pushed, and
 *   `repository.updated_at` is not documented as the push time. So, as with a GitLab secret
 *   token, no replay window applies and dedupe (delivery id and payload digest) stops replays.
 * - Archive (the API's `repoGetArchive`): `GET /repos/{owner}/{repo}/archive/{sha}.tar.gz`,
 *   `Authorization: token <token>`; served directly, with `{repo}/` as the top directory.
 */
import { z } from 'zod';
import { err, ok } from '../../../../src/config/result.ts';
import { authorOf, CommitIdSchema, type Provider } from '../provider.ts';
import { hexHmacMatches } from '../signatures.ts';

const MIN_SECRET_CHARS = 16;

/** Forgejo's header when it is there, else Gitea's. */
function header(headers: Headers, name: 'event' | 'delivery' | 'signature'): string | null {
  return headers.get(`x-forgejo-${name}`) ?? headers.get(`x-gitea-${name}`);
}

const RepositorySchema = z.object({ repository: z.object({ full_name: z.string() }) });

const PushSchema = z.object({
  ref: z.string().min(1),
  after: CommitIdSchema,
  head_commit: z
    .object({
      message: z.string(),
      author: z.object({ name: z.string(), email: z.string().nullish() }),
    })
    .nullish(),
  pusher: z.object({ login: z.string(), full_name: z.string().nullish(), email: z.string().nullish() }),
});

export const gitea: Provider = {
  name: 'gitea',
  defaultApiBaseUrl: null,
  repositoryPath: {
    pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    expected: 'a Gitea or Forgejo repository is "owner/name"',
  },
  secretProblem: (secret) =>
    secret.length >= MIN_SECRET_CHARS ? null : `a webhook secret has at least ${MIN_SECRET_CHARS} characters`,
  event: (headers) => header(headers, 'event'),
  pushEvent: 'push',
  repositoryOf: (payload) => RepositorySchema.safeParse(payload).data?.repository.full_name ?? null,

  async authenticate({ headers, body }, secret) {
    const signature = header(headers, 'signature');
    if (signature === null) {
      return err({ kind: 'missing-signature', header: 'X-Gitea-Signature or X-Forgejo-Signature' });
    }
    if (!(await hexHmacMatches(signature, secret, body))) return err({ kind: 'bad-signature' });
    const id = header(headers, 'delivery');
    if (!id) return err({ kind: 'missing-delivery-id', header: 'X-Gitea-Delivery or X-Forgejo-Delivery' });
    return ok({ id, signedAt: null });
  },

  parsePush(payload) {
    const push = PushSchema.safeParse(payload).data;
    if (!push) return null;
    const { head_commit: head, pusher } = push;
    return {
      ref: push.ref,
      after: push.after,
      author: head
        ? authorOf(head.author.name, head.author.email)
        : authorOf(pusher.full_name || pusher.login, pusher.email),
      message: head?.message ?? '',
      pushedAt: null,
    };
  },

  archiveRequest: (repository, commit, token) => ({
    url: `${repository.apiBaseUrl}/repos/${repository.repository}/archive/${commit}.tar.gz`,
    credentials: { authorization: `token ${token}` },
    headers: {},
  }),
};
