/**
 * `npm start` for real: the start script's processes (demo upstream and both workers
 * under wrangler dev), the quickstart's Git remote whose seed commit is the first
 * deployment and whose pushes go live, a deploy through the HTTP API served by the data
 * plane, a second deployment picked up within 10 s, a local owner who signs in to the
 * dashboard with the email and password printed, Ctrl-C stopping everything, and a
 * restart that keeps the first run's state, remote and owner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { push, pushedDeploymentId } from '../support/git-remote.ts';
import { commitAll, git } from '../support/git-repos.ts';
import { eventually } from './support/data-plane.ts';

const root = resolve(import.meta.dirname, '../..');
const persistTo = mkdtempSync(join(tmpdir(), 'edgeway-e2e-start-'));
const remote = join(persistTo, 'quickstart.git');

interface StartedScript {
  readonly child: ChildProcess;
  readonly output: () => string;
}

let ports: { data: number; control: number; upstream: number };
let running: StartedScript | undefined;

function startScript(): Promise<StartedScript> {
  const child = spawn(
    process.execPath,
    [
      'scripts/start.ts',
      '--data-port',
      String(ports.data),
      '--control-port',
      String(ports.control),
      '--upstream-port',
      String(ports.upstream),
      '--persist-to',
      persistTo,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearInterval(timer);
        resolvePromise({ child, output: () => output });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited with ${child.exitCode}:\n${output}`));
      }
    }, 100);
  });
}

function interrupt(script: StartedScript): Promise<number | null> {
  return new Promise((resolvePromise) => {
    script.child.once('exit', (code) => resolvePromise(code));
    script.child.kill('SIGINT');
  });
}

const adminToken = () => readFileSync(join(persistTo, 'admin-token'), 'utf8').trim();

/** The owner's email and password as `npm start` printed them. */
function printedOwner(output: string): { email: string; password: string } {
  const match = /sign in as (\S+), password (\S+)\n/.exec(output);
  if (!match) throw new Error(`no owner in the output:\n${output}`);
  return { email: match[1]!, password: match[2]! };
}

/** Posts the sign-in form: 303 to / with a session cookie when the email and password are right. */
function signIn({ email, password }: { email: string; password: string }): Promise<Response> {
  const controlUrl = `http://127.0.0.1:${ports.control}`;
  return fetch(`${controlUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: controlUrl },
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
}
const dataUrl = (path: string) => `http://127.0.0.1:${ports.data}${path}`;

function configFor(upstreamUrl: string, greeting: string): string {
  return `version: 1
upstreams:
  demo:
    url: ${upstreamUrl}
policies:
  greet:
    type: set-headers
    options:
      set:
        x-greeting: ${greeting}
routes:
  - path: /api/*
    upstream: demo
    outbound: [greet]
`;
}

beforeAll(async () => {
  ports = { data: await freePort(), control: await freePort(), upstream: await freePort() };
  running = await startScript();
});

afterAll(async () => {
  if (running && running.child.exitCode === null) await interrupt(running);
  rmSync(persistTo, { recursive: true, force: true });
});

describe('npm start', () => {
  it("deploys the quickstart remote's seed commit, and prints a curl and how to push", async () => {
    const output = running!.output();
    expect(output).toContain(`curl -i http://127.0.0.1:${ports.data}/echo/hello`);
    expect(output).toContain(`git clone ${remote} my-gateway && cd my-gateway\n`);
    expect(output).toContain(`preview of its own at http://<branch-slug>.localhost:${ports.data} `);
    const id = /^Live: (dep_\w+) in production at /m.exec(output)?.[1];
    const health = await fetch(dataUrl('/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('edgeway-deployment')).toBe(id);
    const client = new ControlPlaneClient(`http://127.0.0.1:${ports.control}`, adminToken());
    expect(await client.getDeployment(id!)).toMatchObject({
      commit: git(remote, ['rev-parse', 'main']).trim(),
      branch: 'main',
      author: 'Edgeway quickstart <quickstart@edgeway.invalid>',
      message: 'Quickstart: the config of examples/quickstart',
      trigger: 'git-push',
    });
  });

  it('prints a local owner who can sign in to the dashboard', async () => {
    const owner = printedOwner(running!.output());
    expect(owner.password).toBe(readFileSync(join(persistTo, 'owner-password'), 'utf8').trim());
    const response = await signIn(owner);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-edgeway_session=/);
  });

  it('serves a change pushed to the quickstart remote', async () => {
    const clone = join(mkdtempSync(join(tmpdir(), 'edgeway-e2e-clone-')), 'my-gateway');
    git(tmpdir(), ['clone', '--quiet', remote, clone]);
    const config = readFileSync(join(clone, 'edgeway.yaml'), 'utf8');
    commitAll(clone, 'Say so', { 'edgeway.yaml': config.replace('{"status":"ok"}', '{"status":"pushed"}') });
    const id = pushedDeploymentId(push(clone, []));
    const served = await eventually(async () => {
      const response = await fetch(dataUrl('/health'));
      return response.headers.get('edgeway-deployment') === id ? response : undefined;
    }, 10_000);
    expect(await served.json()).toEqual({ status: 'pushed' });
  });

  it('serves a deployment made through the HTTP API, and the next one within 10 s', async () => {
    const client = new ControlPlaneClient(`http://127.0.0.1:${ports.control}`, adminToken());
    const upstreamUrl = `http://127.0.0.1:${ports.upstream}`;
    const deployGreeting = (greeting: string) =>
      client.deploy({
        environment: 'production',
        files: { 'edgeway.yaml': configFor(upstreamUrl, greeting) },
        commit: greeting,
        branch: 'main',
        author: 'e2e',
        message: greeting,
      });
    const first = await deployGreeting('first');
    expect(first.status).toBe('live');

    const reached = await eventually(async () => {
      const response = await fetch(dataUrl('/api/items?page=2'), { headers: { 'x-request-id': 'e2e-1' } });
      return response.headers.get('edgeway-deployment') === first.id ? response : undefined;
    }, 10_000);
    expect(reached.status).toBe(200);
    expect(reached.headers.get('x-greeting')).toBe('first');
    expect(reached.headers.get('x-request-id')).toBe('e2e-1');
    const echo = (await reached.json()) as { upstream: string; path: string; query: Record<string, string> };
    expect(echo).toMatchObject({ upstream: 'demo', path: '/api/items', query: { page: '2' } });

    const deployedAt = Date.now();
    const second = await deployGreeting('second');
    const served = await eventually(async () => {
      const response = await fetch(dataUrl('/api/items'));
      await response.arrayBuffer();
      return response.headers.get('edgeway-deployment') === second.id ? response : undefined;
    }, 10_000);
    expect(served.headers.get('x-greeting')).toBe('second');
    expect(Date.now() - deployedAt).toBeLessThan(10_000);
  });

  it("stops cleanly on Ctrl-C, and a second start keeps the first one's state and remote", async () => {
    const pushed = git(remote, ['rev-parse', 'main']);
    const before = await fetch(dataUrl('/api/items'));
    const servedId = before.headers.get('edgeway-deployment');
    await before.arrayBuffer();

    expect(await interrupt(running!)).toBe(0);
    await expect(fetch(dataUrl('/health'))).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${ports.control}/healthz`)).rejects.toThrow();

    running = await startScript();
    expect(running.output()).toContain(`production already serves ${servedId}; keeping it.`);
    const after = await fetch(dataUrl('/api/items'));
    expect(after.headers.get('edgeway-deployment')).toBe(servedId);
    expect(after.headers.get('x-greeting')).toBe('second');
    expect(git(remote, ['rev-parse', 'main'])).toBe(pushed);
    expect((await signIn(printedOwner(running.output()))).status).toBe(303);
  });
});
