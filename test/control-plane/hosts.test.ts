/**
 * Host keys: synced with the live config's hosts (plus, for a preview, its URL's host),
 * and never claimed by two environments.
 */
import { describe, expect, it } from 'vitest';
import {
  allKvKeys,
  callJson,
  claims,
  deployLive,
  deployRequest,
  hostRecord,
  readPointer,
  statusOf,
} from './support.ts';

describe('host keys', () => {
  it('writes a key per host and removes hosts the environment no longer claims', async () => {
    await deployLive('web', { hosts: ['b.web.test', 'a.web.test'] });
    expect(await hostRecord('a.web.test')).toEqual({ environment: 'web' });
    expect(await hostRecord('b.web.test')).toEqual({ environment: 'web' });
    expect((await callJson('/api/v1/environments/web')).body.hosts).toEqual([
      'a.web.test',
      'b.web.test',
      'web.localhost',
    ]);

    await deployLive('web', { hosts: ['b.web.test', 'c.web.test'] });
    expect(await hostRecord('a.web.test')).toBeNull();
    expect(await hostRecord('c.web.test')).toEqual({ environment: 'web' });
    expect(await claims('web')).toEqual(['b.web.test', 'c.web.test', 'web.localhost']);

    await deployLive('web');
    expect((await allKvKeys()).filter((key) => key.startsWith('host/'))).toEqual(['host/web.localhost']);
    expect(await claims('web')).toEqual(['web.localhost']);
  });

  it('rejects a host another environment claims with 409 before any key changes', async () => {
    const owner = await deployLive('owner', { hosts: ['shared.test'] });
    const before = await allKvKeys();

    const response = await deployRequest('intruder', { hosts: ['own.intruder.test', 'shared.test'] });
    expect(response.status).toBe(409);
    const body = await response.json<{ type: string; deploymentId: string; conflicts: unknown }>();
    expect(body).toMatchObject({
      type: 'https://edgeway.dev/problems/host-conflict',
      conflicts: [{ host: 'shared.test', environment: 'owner' }],
    });
    expect(await statusOf(body.deploymentId)).toBe('failed');
    expect(await allKvKeys()).toEqual(before);
    expect(await readPointer('intruder')).toBeNull();
    expect(await hostRecord('shared.test')).toEqual({ environment: 'owner' });
    expect(await claims('intruder')).toEqual([]);
    expect((await callJson(`/api/v1/deployments/${body.deploymentId}`)).body.failure.reason).toBe(
      'host-conflict',
    );

    // Once the owner lets the host go, the other environment can have it.
    await deployLive('owner');
    await deployLive('intruder', { hosts: ['shared.test'] });
    expect(await hostRecord('shared.test')).toEqual({ environment: 'intruder' });
    expect(await statusOf(owner.id)).toBe('superseded');
  });
});
