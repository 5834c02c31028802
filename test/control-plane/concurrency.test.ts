/**
 * 20 deploys to one environment at once. The lease serialises them: afterwards exactly
 * one is live and the pointer names it, every committed deployment's blob is whole, no
 * failed one left a blob, and while they ran the pointer always named a whole blob.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { allKvKeys, blobIsWhole, deployLive, deployRequest, readPointer } from './support.ts';

const DEPLOYS = 20;
const ENVIRONMENT = 'crowded';
const HOST = 'crowded.example.test';

it('serialises concurrent deploys to one environment without ever tearing state', {
  timeout: 60_000,
}, async () => {
  const first = await deployLive(ENVIRONMENT, { tag: 'initial', hosts: [HOST] });

  let running = true;
  const samples: { deploymentId: string; whole: boolean }[] = [];
  const sampler = (async () => {
    while (running) {
      const pointer = await readPointer(ENVIRONMENT);
      const deploymentId = pointer?.deploymentId ?? 'none';
      samples.push({ deploymentId, whole: pointer !== null && (await blobIsWhole(deploymentId)) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();

  const responses = await Promise.all(
    Array.from({ length: DEPLOYS }, async (_, i) => {
      const response = await deployRequest(ENVIRONMENT, { tag: `concurrent-${i}`, hosts: [HOST] });
      const body = await response.json<{ id?: string; deploymentId?: string; type?: string }>();
      return { status: response.status, id: body.id ?? body.deploymentId!, type: body.type };
    }),
  );
  running = false;
  await sampler;

  // Every deploy either went live (201) or gave up waiting for the lease (409).
  for (const response of responses) {
    if (response.status !== 201) {
      expect(response).toMatchObject({
        status: 409,
        type: 'https://edgeway.dev/problems/deploy-in-progress',
      });
    }
  }

  const { results: rows } = await env.DB.prepare(
    'SELECT id, status, hash, failure_reason FROM deployments WHERE environment = ? ORDER BY id',
  )
    .bind(ENVIRONMENT)
    .all<{ id: string; status: string; hash: string; failure_reason: string | null }>();
  expect(rows).toHaveLength(DEPLOYS + 1);
  for (const row of rows) expect(['live', 'superseded', 'failed']).toContain(row.status);
  const live = rows.filter((row) => row.status === 'live');
  expect(live).toHaveLength(1);
  const liveId = live[0]!.id;

  expect((await readPointer(ENVIRONMENT))?.deploymentId).toBe(liveId);
  const environment = await env.DB.prepare(
    'SELECT live_deployment_id, lease_holder FROM environments WHERE name = ?',
  )
    .bind(ENVIRONMENT)
    .first();
  expect(environment).toEqual({ live_deployment_id: liveId, lease_holder: null });
  expect(await env.CONFIG.get(`host/${HOST}`)).toBe(JSON.stringify({ environment: ENVIRONMENT }));

  // Committed deployments keep a whole blob whose hash D1 agrees with; failed ones keep none.
  const keys = new Set(await allKvKeys());
  for (const row of rows) {
    if (row.status === 'failed') {
      expect(row.failure_reason).toBe('deploy-in-progress');
      expect(keys.has(`deployment/${row.id}`)).toBe(false);
    } else {
      expect(await blobIsWhole(row.id)).toBe(true);
      const blob = JSON.parse((await env.CONFIG.get(`deployment/${row.id}`))!);
      expect(blob.hash).toBe(row.hash);
    }
  }
  // Each 201 answer is a deployment that is live or was superseded by a later one.
  for (const response of responses.filter((r) => r.status === 201)) {
    expect(rows.find((row) => row.id === response.id)?.status).toMatch(/^(live|superseded)$/);
  }
  expect(rows.find((row) => row.id === first.id)?.status).toBe('superseded');

  // While the deploys ran, every read of the pointer named a whole blob.
  expect(samples.length).toBeGreaterThan(DEPLOYS);
  expect(samples.filter((sample) => !sample.whole)).toEqual([]);
  expect(new Set(samples.map((sample) => sample.deploymentId)).size).toBeGreaterThan(1);
});
