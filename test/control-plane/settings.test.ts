/** GET /api/v1/settings: the production branch and environment URLs, for any role. */
import { describe, expect, it } from 'vitest';
import { call, callJson } from './support.ts';

describe('GET /api/v1/settings', () => {
  it("answers any role with the control plane's branch and URL settings", async () => {
    const { body: viewer } = await callJson('/api/v1/tokens', { json: { name: 'reader', role: 'viewer' } });
    const { status, body } = await callJson('/api/v1/settings', { token: viewer.token });
    expect(status).toBe(200);
    // control-plane/wrangler.toml's [vars]
    expect(body).toEqual({
      productionBranch: 'main',
      productionUrl: 'http://localhost:8787',
      previewUrlTemplate: 'http://{slug}.localhost:8787',
    });
  });

  it('needs a token', async () => {
    const response = await call('/api/v1/settings', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
