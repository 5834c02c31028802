/**
 * Preview hosts (`<slug>.<PREVIEW_HOST_SUFFIX>`): served by the environment their host
 * record names; without one (a deleted branch), 404 problem+json rather than the default
 * environment, even for an isolate that was serving the preview a moment ago.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { kvKeys } from '../../src/config/kv-keys.ts';
import { compileDeployment, mock, uniqueName } from './helpers/deployments.ts';
import { createHarness, POINTER_TTL_MS } from './helpers/harness.ts';
import { mapHost, publish } from './helpers/kv.ts';
import { expectProblem } from './helpers/problems.ts';

const PREVIEWS = 'preview.test';
const routes = (body: string) => [{ path: '/which', handler: mock(body) }];

describe('preview hosts', () => {
  it('answers 404 unknown-host for a preview host no environment claims', async () => {
    const gw = createHarness({ previewHostSuffix: PREVIEWS });
    await gw.deploy(routes('default'));
    const body = await expectProblem(await gw.send(`http://nobody.${PREVIEWS}/which`), 404, 'unknown-host');
    expect(body.detail).toContain(`nobody.${PREVIEWS}`);
    // Any other unclaimed host is still the default environment's.
    expect(await (await gw.send('/which')).text()).toBe('default');
  });

  it('stops serving a preview once its host record is deleted', async () => {
    const gw = createHarness({ previewHostSuffix: PREVIEWS });
    await gw.deploy(routes('default'));
    const preview = uniqueName('feature');
    const host = `${preview}.${PREVIEWS}`;
    await publish(env.CONFIG, await compileDeployment({ environment: preview, routes: routes('preview') }));
    await mapHost(env.CONFIG, host, preview);
    expect(await (await gw.send(`http://${host}/which`)).text()).toBe('preview');

    await env.CONFIG.delete(kvKeys.host(host));
    gw.advance(POINTER_TTL_MS);
    // The first request after the TTL is served from cache while the refresh runs.
    await (await gw.send(`http://${host}/which`)).arrayBuffer();
    await expectProblem(await gw.send(`http://${host}/which`), 404, 'unknown-host');
    expect(gw.logs.some((line) => line.message === 'no environment serves this host')).toBe(true);
  });
});
