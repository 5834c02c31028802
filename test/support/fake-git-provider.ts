/**
 * Global setup of the control plane's workerd tests: a fake Git provider on loopback that
 * serves, at GitHub's, GitLab's and Gitea's API URL shapes, what `git archive` of a real local
 * repository gives for a commit. The GitHub tarball endpoint redirects to a second server
 * (another origin, as codeload.github.com is), which refuses any request that carries the
 * API token: the token must not follow a redirect.
 *
 *   GET /repos/{owner}/{repo}/tarball/{sha}                  Bearer token -> 302 to codeload
 *   GET /codeload/{owner}/{repo}/tar.gz/{sha}                no token     -> tar.gz, `{owner}-{repo}-{sha}/`
 *   GET /api/v4/projects/{path}/repository/archive.tar.gz?sha PRIVATE-TOKEN -> tar.gz, `{name}-{sha}-{sha}/`
 *   GET /api/v1/repos/{owner}/{repo}/archive/{sha}.tar.gz     `token` auth    -> tar.gz, `{repo}/`
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import type { FakeGitProvider } from './git-provider-urls.ts';
import { commitAll, createGitRepo, git } from './git-repos.ts';

const TOKEN = 'fake-provider-token';
const TOKEN_SECRET_NAME = 'FAKE_PROVIDER_TOKEN';
const LONG_PATH = `openapi/${'a-very-long-operation-name-'.repeat(5)}spec.json`;

function config(tag: string): string {
  return `version: 1
policies:
  tag:
    type: set-headers
    options:
      set:
        x-commit: ${tag}
routes:
  - path: /health
    methods: [GET]
    outbound: [tag]
    mock:
      status: 200
      body: ok
`;
}

function createRepository(): { dir: string; commits: FakeGitProvider['commits'] } {
  const dir = createGitRepo({
    'edgeway.yaml': config('main'),
    'README.md': '# Gateway config\n',
    [LONG_PATH]: '{"openapi":"3.1.0"}\n',
  });
  const main = git(dir, ['rev-parse', 'HEAD']).trim();
  const onBranch = (branch: string, message: string, files: Record<string, string>) => {
    git(dir, ['checkout', '--quiet', '-b', branch, main]);
    return commitAll(dir, message, files);
  };
  const crowded = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`many/file-${i}.json`, '{}']));
  return {
    dir,
    commits: {
      main,
      feature: onBranch('feature/login', 'Tag responses from the feature branch', {
        'edgeway.yaml': config('feature'),
      }),
      broken: onBranch('broken', 'Break the config', { 'edgeway.yaml': 'version: 1\nroutes: [\n' }),
      crowded: onBranch('crowded', 'Add many files', crowded),
    },
  };
}

function archive(dir: string, sha: string, prefix: string, format: 'tar' | 'tar.gz'): Buffer | null {
  if (!/^[0-9a-f]{40}$/.test(sha)) return null;
  try {
    return execFileSync('git', ['archive', `--format=${format}`, `--prefix=${prefix}/`, sha], { cwd: dir });
  } catch {
    return null;
  }
}

function send(response: ServerResponse, status: number, body: Buffer | string, type = 'text/plain'): void {
  response.writeHead(status, { 'content-type': type }).end(body);
}

function sendArchive(response: ServerResponse, tarball: Buffer | null): void {
  if (tarball) send(response, 200, tarball, 'application/x-gzip');
  else send(response, 404, 'no such commit');
}

function api(dir: string, codeload: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const github = /^\/repos\/([^/]+)\/([^/]+)\/tarball\/([^/]+)$/.exec(url.pathname);
    const gitlab = /^\/api\/v4\/projects\/([^/]+)\/repository\/archive\.tar\.gz$/.exec(url.pathname);
    const gitea = /^\/api\/v1\/repos\/[^/]+\/([^/]+)\/archive\/([^/]+)\.tar\.gz$/.exec(url.pathname);
    if (github) {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(response, 401, 'bad credentials');
      if (!request.headers['user-agent']) return send(response, 403, 'a User-Agent is required');
      const [, owner, repo, sha] = github;
      response.writeHead(302, { location: `${codeload}/codeload/${owner}/${repo}/tar.gz/${sha}` }).end();
    } else if (gitlab) {
      if (request.headers['private-token'] !== TOKEN) return send(response, 401, '401 Unauthorized');
      const path = decodeURIComponent(gitlab[1]!);
      const sha = url.searchParams.get('sha') ?? '';
      sendArchive(response, archive(dir, sha, `${path.split('/').at(-1)}-${sha}-${sha}`, 'tar.gz'));
    } else if (gitea) {
      if (request.headers.authorization !== `token ${TOKEN}`) return send(response, 401, 'token is required');
      const [, repo, sha] = gitea;
      sendArchive(response, archive(dir, sha!, repo!, 'tar.gz'));
    } else {
      send(response, 404, 'not found');
    }
  };
}

function codeloadServer(dir: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/codeload\/([^/]+)\/([^/]+)\/tar\.gz\/([^/]+)$/.exec(request.url ?? '');
    if (request.headers.authorization || request.headers['private-token']) {
      return send(response, 400, 'the API token followed a redirect to another origin');
    }
    if (!match) return send(response, 404, 'not found');
    const [, owner, repo, sha] = match;
    sendArchive(response, archive(dir, sha!, `${owner}-${repo}-${sha!.slice(0, 7)}`, 'tar.gz'));
  };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { dir, commits } = createRepository();
  const codeload = createServer(codeloadServer(dir));
  const codeloadUrl = await listen(codeload);
  const server = createServer(api(dir, codeloadUrl));
  const apiUrl = await listen(server);
  project.provide('fakeGitProvider', {
    githubApi: apiUrl,
    gitlabApi: `${apiUrl}/api/v4`,
    giteaApi: `${apiUrl}/api/v1`,
    token: TOKEN,
    tokenSecretName: TOKEN_SECRET_NAME,
    commits,
    longPath: LONG_PATH,
    mainTarBase64: archive(dir, commits.main, 'repo', 'tar')!.toString('base64'),
  });
  return async () => {
    for (const each of [server, codeload]) each.closeAllConnections();
    await Promise.all([server, codeload].map((each) => new Promise((resolve) => each.close(resolve))));
  };
}
