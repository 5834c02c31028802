/**
 * `edgeway consumers` against a real control plane (workerd, D1, KV): creating, listing,
 * showing, updating and deleting consumers, and each refusal (a bad value before anything
 * is sent, an unknown consumer, a taken name, a refused token, a control plane that does
 * not answer) as one readable line with its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';
import { type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { ADMIN_TOKEN, startControlPlane, type TestControlPlane } from '../support/control-plane.ts';

let controlPlane: TestControlPlane;

beforeAll(async () => {
  controlPlane = await startControlPlane();
});
afterAll(() => controlPlane?.close());

function cli(args: readonly string[], token = ADMIN_TOKEN): Promise<CliRun> {
  return runCli([...args, ...connectionFlags(controlPlane.url, token)]);
}

describe('consumers', () => {
  it('creates a consumer with tags, a plan and metadata, and shows it', async () => {
    const created = await cli([
      'consumers',
      'create',
      'acme',
      '--tag',
      'partner',
      '--tag',
      'eu',
      '--plan',
      'gold',
      '--metadata',
      '{"crm":"C-42"}',
    ]);
    expect(created).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^Created consumer acme \(con_[0-9a-z]{26}\)\. Issue it a key with: edgeway keys create acme\n$/,
      ),
      stderr: '',
    });

    const shown = await cli(['consumers', 'show', 'acme']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Name: +acme\nID: +con_[0-9a-z]{26}\nPlan: +gold\nTags: +partner, eu\n/);
    expect(shown.stdout).toContain('Metadata:  {"crm":"C-42"}\n');
    expect(shown.stdout).toMatch(/Created: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ by admin\n/);
    expect(shown.stdout).toContain('No keys: edgeway keys create acme issues one.\n');

    const json = JSON.parse((await cli(['consumers', 'show', 'acme', '--json'])).stdout);
    expect(json).toMatchObject({ name: 'acme', tags: ['partner', 'eu'], plan: 'gold', keys: [] });
  });

  it('prints the created consumer as JSON with --json', async () => {
    const { code, stdout } = await cli(['consumers', 'create', 'json-co', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'json-co', tags: [], plan: null, metadata: {} });
  });

  it('lists consumers by name, or those with a tag', async () => {
    await cli(['consumers', 'create', 'list-b', '--tag', 'listed']);
    await cli(['consumers', 'create', 'list-a', '--tag', 'listed', '--plan', 'free']);
    const tagged = await cli(['consumers', 'list', '--tag', 'listed']);
    expect(tagged.code).toBe(0);
    const [header, ...rows] = tagged.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +PLAN +TAGS +CREATED$/);
    expect(rows).toEqual([
      expect.stringMatching(/^list-a +free +listed +\d{4}-/),
      expect.stringMatching(/^list-b +- +listed +\d{4}-/),
    ]);

    const all = await cli(['consumers']);
    expect(all.stdout).toMatch(/^acme /m);
    const json = JSON.parse((await cli(['consumers', 'list', '--tag', 'listed', '--json'])).stdout);
    expect(json.map((consumer: { name: string }) => consumer.name)).toEqual(['list-a', 'list-b']);
    expect((await cli(['consumers', 'list', '--tag', 'nobody'])).stdout).toBe(
      'No consumers tagged nobody.\n',
    );
  });

  it('updates only the fields given, and removes tags and the plan', async () => {
    await cli(['consumers', 'create', 'upd', '--tag', 'a', '--plan', 'free', '--metadata', '{"n":1}']);
    const updated = await cli(['consumers', 'update', 'upd', '--plan', 'pro']);
    expect(updated).toEqual({ code: 0, stdout: 'Updated consumer upd.\n', stderr: '' });
    expect(JSON.parse((await cli(['consumers', 'show', 'upd', '--json'])).stdout)).toMatchObject({
      tags: ['a'],
      plan: 'pro',
      metadata: { n: 1 },
    });

    expect(
      (await cli(['consumers', 'update', 'upd', '--no-tags', '--no-plan', '--metadata', '{}'])).code,
    ).toBe(0);
    expect(JSON.parse((await cli(['consumers', 'show', 'upd', '--json'])).stdout)).toMatchObject({
      tags: [],
      plan: null,
      metadata: {},
    });
  });

  it('deletes a consumer, after which it is not found', async () => {
    await cli(['consumers', 'create', 'gone']);
    expect(await cli(['consumers', 'delete', 'gone'])).toEqual({
      code: 0,
      stdout: 'Deleted consumer gone and revoked its keys.\n',
      stderr: '',
    });
    const shown = await cli(['consumers', 'show', 'gone']);
    expect(shown).toEqual({
      code: 1,
      stdout: '',
      stderr: 'edgeway: Consumer not found (404): No consumer has that name.\n',
    });
  });

  it.each([['show'], ['delete'], ['update']])(
    '%s of an unknown consumer fails with exit 1',
    async (action) => {
      const args = ['consumers', action, 'nobody', ...(action === 'update' ? ['--plan', 'x'] : [])];
      const { code, stderr } = await cli(args);
      expect(code).toBe(1);
      expect(stderr).toBe('edgeway: Consumer not found (404): No consumer has that name.\n');
    },
  );

  it('says when the name is taken', async () => {
    await cli(['consumers', 'create', 'taken']);
    const { code, stderr } = await cli(['consumers', 'create', 'taken']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'edgeway: Consumer name taken (409): A consumer named taken exists already; names are unique.\n',
    );
  });

  it.each([
    [['consumers', 'create', 'has space'], '"has space": a consumer name is 1-64 letters'],
    [['consumers', 'create'], 'missing argument <name>: the consumer to create'],
    [['consumers', 'create', 'x', '--metadata', '{oops'], '--metadata is not JSON'],
    [['consumers', 'create', 'x', '--tag', 'a', '--tag', 'a'], '--tag: each tag appears once'],
    [['consumers', 'create', 'x', '--plan', 'a b'], '--plan "a b": a plan is 1-64 letters'],
    [
      ['consumers', 'update', 'x'],
      'nothing to update: give --tag, --no-tags, --plan, --no-plan or --metadata',
    ],
    [['consumers', 'update', 'x', '--tag', 'a', '--no-tags'], 'give --tag or --no-tags, not both'],
    [['consumers', 'list', '--tag', 'a', '--tag', 'b'], 'list takes one --tag'],
    [['consumers', 'show', 'x', '--plan', 'p'], '--plan does not apply to "show"'],
    [['consumers', 'drop', 'x'], 'unknown action "drop"; expected list, create, show, update or delete'],
  ])('refuses %j as a usage error, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`edgeway: ${message}`);
    expect(stderr).toContain('Run "edgeway consumers --help" for usage.');
  });

  it('refuses metadata over 1 KB as a usage error', async () => {
    const metadata = JSON.stringify({ a: 'x'.repeat(1100) });
    const { code, stderr } = await cli(['consumers', 'create', 'x', '--metadata', metadata]);
    expect(code).toBe(2);
    expect(stderr).toContain('edgeway: --metadata: metadata is at most 1024 bytes of JSON\n');
  });

  it('says when the token may not change consumers, or is refused', async () => {
    const viewer = await controlPlane.createToken('viewer');
    const refused = await cli(['consumers', 'create', 'nope'], viewer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'edgeway: Role too low (403): This needs the admin role; the token used has the viewer role.\n',
    );
    expect((await cli(['consumers', 'list'], viewer)).code).toBe(0);

    const unknown = await cli(['consumers', 'list'], 'ewt_wrong');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `edgeway: the control plane at ${controlPlane.url} refused the token: The bearer token is unknown or revoked. Check --token, EDGEWAY_TOKEN or the config file.\n`,
    );
  });

  it('says which URL is not answering', async () => {
    const silentUrl = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await runCli(['consumers', 'list', ...connectionFlags(silentUrl, 't')]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `edgeway: the control plane at ${silentUrl} is not answering (connection refused)`,
    );
  });

  it('documents every option in its help', async () => {
    const { code, stdout } = await runCli(['consumers', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: edgeway consumers /);
    for (const option of [
      '--tag <tag>',
      '--no-tags',
      '--plan <plan>',
      '--no-plan',
      '--metadata <json>',
      '--json',
    ]) {
      expect(stdout).toContain(option);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}consumers \[list/m);
  });
});
