/**
 * The body of POST /api/v1/repositories, every issue reported at once: the provider's own
 * rules for the repository path and the webhook secret (providers/*.ts); an API base URL
 * that is https, or http to this machine for local testing, without credentials, query or
 * fragment (GitHub Enterprise Server: `https://<host>/api/v3`; self-managed GitLab:
 * `https://<host>/api/v4`; Gitea and Forgejo, which have no default and so require it:
 * `https://<host>/api/v1`); and the name of a Worker secret other than the control plane's
 * own, which would otherwise be sent to that URL.
 */
import { z } from 'zod';
import { PROVIDERS } from '../store/repositories.ts';
import { providers } from './providers/index.ts';

/** The control plane's own secrets (secrets.d.ts): never sent to a provider. */
const RESERVED_SECRETS: readonly string[] = ['ADMIN_TOKEN', 'SECRETS_KEY'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const ApiBaseUrlSchema = z
  .string()
  .max(2048)
  .refine((text) => {
    const url = URL.parse(text);
    return (
      url !== null &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash
    );
  }, 'an API base URL is https (http only to localhost), without credentials, query or fragment')
  .transform((text) => text.replace(/\/+$/, ''));

export const RegistrationSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    repository: z.string().max(255),
    apiBaseUrl: ApiBaseUrlSchema.optional(),
    webhookSecret: z.string().max(1024),
    apiTokenSecretName: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'a Worker secret name is uppercase letters, digits and underscores')
      .refine((name) => !RESERVED_SECRETS.includes(name), 'the control plane keeps that secret to itself'),
  })
  .superRefine((body, ctx) => {
    const provider = providers[body.provider];
    const segments = body.repository.split('/');
    if (!provider.repositoryPath.pattern.test(body.repository) || segments.some((s) => /^\.+$/.test(s))) {
      ctx.addIssue({ code: 'custom', path: ['repository'], message: provider.repositoryPath.expected });
    }
    const secretProblem = provider.secretProblem(body.webhookSecret);
    if (secretProblem) ctx.addIssue({ code: 'custom', path: ['webhookSecret'], message: secretProblem });
    if (body.apiBaseUrl === undefined && provider.defaultApiBaseUrl === null) {
      const message = `${body.provider} has no public instance: give its API base URL`;
      ctx.addIssue({ code: 'custom', path: ['apiBaseUrl'], message });
    }
  })
  .transform(({ apiBaseUrl, ...body }) => ({
    ...body,
    /** Never empty: the refinement above requires a URL when the provider has no default. */
    apiBaseUrl: apiBaseUrl ?? providers[body.provider].defaultApiBaseUrl ?? '',
  }));
