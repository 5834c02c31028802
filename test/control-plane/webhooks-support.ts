/**
 * Helpers for the webhook tests: registering repositories, building push payloads the way
 * GitHub, GitLab and Gitea shape them, signing deliveries as each provider does, and counting
 * what was deployed. The provider API behind the registrations is the fake of
 * test/support/fake-git-provider.ts.
 */
import { env } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import type {} from '../support/git-provider-urls.ts';
import { type appWith, call, callJson, type JsonBody, readPointer } from './support.ts';

type Handler = ReturnType<typeof appWith>;

export const fake = inject('fakeGitProvider');
export const ZERO_SHA = '0'.repeat(40);
export const GITHUB_SECRET = 'github-webhook-secret-for-tests';
export const GITLAB_TOKEN = 'gitlab-secret-token-for-tests';
export const GITEA_SECRET = 'gitea-webhook-secret-for-tests';
/** A GitLab signing token: `whsec_` and base64 of a 32-byte key. */
export const GITLAB_SIGNING_TOKEN = `whsec_${btoa('0123456789abcdef0123456789abcdef')}`;

let repositories = 0;
/** A repository path no other test registers: storage is shared by the tests of a file. */
export function uniqueRepository(prefix = 'acme'): string {
  repositories += 1;
  return `${prefix}/gateway-${repositories}`;
}

type ProviderName = 'github' | 'gitlab' | 'gitea';

export async function register(
  provider: ProviderName,
  repository: string,
  webhookSecret: string,
  overrides: Record<string, unknown> = {},
): Promise<JsonBody> {
  const apiBaseUrl = { github: fake.githubApi, gitlab: fake.gitlabApi, gitea: fake.giteaApi }[provider];
  const json = {
    provider,
    repository,
    apiBaseUrl,
    webhookSecret,
    apiTokenSecretName: fake.tokenSecretName,
    ...overrides,
  };
  const { status, body } = await callJson('/api/v1/repositories', { json });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

export interface PushOptions {
  readonly ref?: string;
  readonly after?: string;
  /** Unix seconds; now unless given. */
  readonly pushedAt?: number;
}

export function githubPush(repository: string, options: PushOptions = {}) {
  const after = options.after ?? fake.commits.main;
  const deleted = /^0+$/.test(after);
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: 'a'.repeat(40),
    after,
    created: false,
    deleted,
    repository: { full_name: repository, pushed_at: options.pushedAt ?? Math.floor(Date.now() / 1000) },
    pusher: { name: 'ada', email: 'ada@example.com' },
    head_commit: deleted
      ? null
      : {
          id: after,
          message: 'Ship the gateway',
          author: { name: 'Ada Lovelace', email: 'ada@example.com' },
        },
  };
}

export function gitlabPush(project: string, options: PushOptions = {}) {
  const after = options.after ?? fake.commits.main;
  return {
    object_kind: 'push',
    event_name: 'push',
    ref: options.ref ?? 'refs/heads/main',
    before: 'a'.repeat(40),
    after,
    checkout_sha: /^0+$/.test(after) ? null : after,
    user_name: 'Ada Lovelace',
    user_email: 'ada@example.com',
    project: { path_with_namespace: project },
    commits: /^0+$/.test(after)
      ? []
      : [
          {
            id: after,
            message: 'Ship from GitLab',
            author: { name: 'Grace Hopper', email: 'grace@example.com' },
          },
        ],
  };
}

/** A Gitea push: GitHub's shape, with a Gitea `pusher` and no `pushed_at`. */
export function giteaPush(repository: string, options: PushOptions = {}) {
  return {
    ...githubPush(repository, options),
    repository: { full_name: repository, updated_at: new Date().toISOString() },
    pusher: { login: 'ada', full_name: 'Ada Lovelace', email: 'ada@example.com' },
  };
}

export async function hmac(key: Uint8Array, text: string): Promise<Uint8Array> {
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(text)));
}

/** The hex HMAC-SHA256 of the body: Gitea's signature, and GitHub's after `sha256=`. */
export async function hexSignature(body: string, secret: string): Promise<string> {
  const digest = await hmac(new TextEncoder().encode(secret), body);
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function githubSignature(body: string, secret = GITHUB_SECRET): Promise<string> {
  return `sha256=${await hexSignature(body, secret)}`;
}

/** Standard Webhooks, as GitLab signs with a signing token. */
export async function gitlabSignature(
  id: string,
  timestamp: number,
  body: string,
  token = GITLAB_SIGNING_TOKEN,
) {
  const key = Uint8Array.from(atob(token.slice('whsec_'.length)), (char) => char.charCodeAt(0));
  const digest = await hmac(key, `${id}.${timestamp}.${body}`);
  return `v1,${btoa(String.fromCharCode(...digest))}`;
}

export interface Delivery {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export async function githubDelivery(
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'x-github-event': 'push',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': await githubSignature(body),
      ...headers,
    },
  };
}

/** Signed as Gitea signs; `family: 'forgejo'` sends Forgejo's header names instead. */
export async function giteaDelivery(
  payload: unknown,
  options: { family?: 'gitea' | 'forgejo'; secret?: string; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const family = options.family ?? 'gitea';
  return {
    body,
    headers: {
      [`x-${family}-event`]: 'push',
      [`x-${family}-delivery`]: crypto.randomUUID(),
      [`x-${family}-signature`]: await hexSignature(body, options.secret ?? GITEA_SECRET),
      ...options.headers,
    },
  };
}

export async function gitlabSignedDelivery(
  payload: unknown,
  options: { id?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'x-gitlab-event': 'Push Hook',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await gitlabSignature(id, timestamp, body),
      ...options.headers,
    },
  };
}

export function gitlabTokenDelivery(payload: unknown, headers: Record<string, string> = {}): Delivery {
  return {
    body: JSON.stringify(payload),
    headers: {
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-token': GITLAB_TOKEN,
      'idempotency-key': crypto.randomUUID(),
      ...headers,
    },
  };
}

export async function deliver(provider: ProviderName, delivery: Delivery, handler?: Handler) {
  const response = await call(`/api/v1/webhooks/${provider}`, {
    token: null,
    body: delivery.body,
    headers: delivery.headers,
    ...(handler ? { handler } : {}),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.json<JsonBody>(),
  };
}

export async function deploymentCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM deployments').first<number>('n')) ?? 0;
}

/** The `x-commit` tag the deployed edgeway.yaml sets: which commit's files were deployed. */
export async function deployedTag(deploymentId: string): Promise<string> {
  const blob = JSON.parse((await env.CONFIG.get(`deployment/${deploymentId}`))!);
  return blob.config.policies.tag.options.set['x-commit'];
}

/** Registers a new GitHub repository with GITHUB_SECRET; returns its path. */
export async function registeredGithubRepository(overrides: Record<string, unknown> = {}): Promise<string> {
  const repository = uniqueRepository();
  await register('github', repository, GITHUB_SECRET, overrides);
  return repository;
}

/** Delivers a signed push of `repository` to the GitHub webhook. */
export async function pushToGithub(repository: string, options: PushOptions = {}) {
  return deliver('github', await githubDelivery(githubPush(repository, options)));
}

export interface ExpectedPreviewDeploy {
  readonly author: string;
  readonly message: string;
  readonly trigger: string;
  readonly registrationId: string;
}

/** A push of the fake repository's feature/login commit went live as its preview. */
export async function expectFeaturePreviewLive(deploymentId: string, expected: ExpectedPreviewDeploy) {
  const deployment = (await callJson(`/api/v1/deployments/${deploymentId}`)).body;
  expect(deployment).toMatchObject({
    status: 'live',
    commit: fake.commits.feature,
    branch: 'feature/login',
    author: expected.author,
    message: expected.message,
    trigger: expected.trigger,
    createdBy: `webhook:${expected.registrationId}`,
  });
  expect(await deployedTag(deploymentId)).toBe('feature');
  expect((await readPointer('feature-login'))?.deploymentId).toBe(deploymentId);
}
