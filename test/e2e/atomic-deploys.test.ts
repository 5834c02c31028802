/**
 * Atomicity under load: while two deployments that differ in routes, headers and
 * upstream alternate, 5,000 requests through the data plane never see a mix of the two.
 * Each response names the deployment that served it; everything else about the
 * response must match that deployment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { type DemoUpstream, startDemoUpstream } from '../../examples/demo-upstream/server.ts';
import { type LocalStack, startLocalStack } from '../../scripts/lib/local-stack.ts';
import { freePort } from '../../scripts/lib/ports.ts';

type Variant = 'blue' | 'green';

const REQUESTS = 5_000;
const CONCURRENCY = 16;
const persistTo = mkdtempSync(join(tmpdir(), 'edgeway-e2e-atomic-'));
let stack: LocalStack;
const upstreams: Partial<Record<Variant, DemoUpstream>> = {};

function configFor(variant: Variant): string {
  return `version: 1
upstreams:
  backend:
    url: ${upstreams[variant]!.url}
policies:
  stamp:
    type: set-headers
    options:
      set:
        x-variant: ${variant}
routes:
  - path: /shared/*
    upstream: backend
    outbound: [stamp]
  - path: /only-${variant}
    mock:
      body: ${variant}
`;
}

beforeAll(async () => {
  upstreams.blue = await startDemoUpstream({ name: 'blue' });
  upstreams.green = await startDemoUpstream({ name: 'green' });
  stack = await startLocalStack({
    root: resolve(import.meta.dirname, '../..'),
    persistTo,
    dataPort: await freePort(),
    controlPort: await freePort(),
    upstreamPort: await freePort(),
    pointerTtlMs: 100,
  });
});

afterAll(async () => {
  await stack?.stop();
  await upstreams.blue?.close();
  await upstreams.green?.close();
  rmSync(persistTo, { recursive: true, force: true });
});

interface Observation {
  readonly deploymentId: string | null;
  readonly path: string;
  readonly status: number;
  readonly variantHeader: string | null;
  readonly body: string;
}

async function observe(path: string): Promise<Observation> {
  const response = await fetch(stack.dataUrl + path);
  return {
    deploymentId: response.headers.get('edgeway-deployment'),
    path,
    status: response.status,
    variantHeader: response.headers.get('x-variant'),
    body: await response.text(),
  };
}

/** What a response from a deployment of `variant` must look like. */
function mismatch(observation: Observation, variant: Variant): string | undefined {
  const other: Variant = variant === 'blue' ? 'green' : 'blue';
  const { path, status, body } = observation;
  if (path.startsWith('/shared/')) {
    if (status !== 200) return `status ${status}`;
    if (observation.variantHeader !== variant) return `x-variant ${observation.variantHeader}`;
    if ((JSON.parse(body) as { upstream: string }).upstream !== variant) return `upstream in ${body}`;
  } else if (path === `/only-${variant}`) {
    if (status !== 200 || body !== variant) return `status ${status} body ${body}`;
  } else if (path === `/only-${other}` && status !== 404) {
    return `status ${status} for the other deployment's route`;
  }
  return undefined;
}

it('serves 5,000 requests during alternating deploys without mixing deployments', async () => {
  const client = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  const variantOf = new Map<string, Variant>();
  const deploy = async (variant: Variant) => {
    const deployment = await client.deploy({
      environment: 'production',
      files: { 'edgeway.yaml': configFor(variant) },
      commit: variant.repeat(8),
      branch: 'main',
      author: 'e2e',
      message: variant,
    });
    variantOf.set(deployment.id, variant);
  };
  await deploy('blue');

  let done = false;
  const deploys = (async () => {
    for (let round = 0; !done; round++) await deploy(round % 2 === 0 ? 'green' : 'blue');
  })();

  const paths = ['/shared/a', '/shared/b?q=1', '/only-blue', '/only-green'];
  const observations: Observation[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const index = next++;
        observations.push(await observe(paths[index % paths.length]!));
      }
    }),
  );
  done = true;
  await deploys;

  const servedBy = new Set(observations.map((observation) => observation.deploymentId));
  const mixed = observations.flatMap((observation) => {
    const variant = observation.deploymentId ? variantOf.get(observation.deploymentId) : undefined;
    if (!variant) return [`${observation.path}: unknown deployment ${observation.deploymentId}`];
    const problem = mismatch(observation, variant);
    return problem ? [`${observation.path} from ${variant} ${observation.deploymentId}: ${problem}`] : [];
  });

  expect(observations).toHaveLength(REQUESTS);
  expect(mixed).toEqual([]);
  // The test only means something if the traffic really spanned several deployments.
  expect(servedBy.size).toBeGreaterThanOrEqual(3);
  expect(new Set([...servedBy].map((id) => variantOf.get(id!)))).toEqual(new Set(['blue', 'green']));
});
