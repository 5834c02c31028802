/**
 * The team never loses its last enabled owner: demoting, disabling or removing them is
 * refused until another member is an owner. A file of its own, so its storage starts
 * with no owners.
 */
import { describe, expect, it } from 'vitest';
import { callJson } from './support.ts';
import { invite } from './team-support.ts';

describe('the last owner', () => {
  it('cannot be demoted, disabled or removed until there is another', async () => {
    const owner = await invite('owner');
    const path = `/api/v1/members/${owner.email}`;
    const attempts = [
      () => callJson(`${path}/role`, { method: 'PUT', json: { role: 'admin' } }),
      () => callJson(`${path}/disable`, { method: 'POST' }),
      () => callJson(path, { method: 'DELETE' }),
    ];
    for (const attempt of attempts) {
      const { status, body } = await attempt();
      expect(status).toBe(409);
      expect(body.type).toBe('https://edgeway.dev/problems/last-owner');
    }

    // A disabled owner does not count as the other one.
    const disabled = await invite('owner');
    expect((await callJson(`/api/v1/members/${disabled.email}/disable`, { method: 'POST' })).status).toBe(
      200,
    );
    expect((await callJson(path, { method: 'DELETE' })).status).toBe(409);

    await invite('owner');
    expect((await callJson(`${path}/role`, { method: 'PUT', json: { role: 'admin' } })).status).toBe(200);
  });
});
