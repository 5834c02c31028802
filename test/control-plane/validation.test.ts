/** Input validation: every bad request is a 400 (or 413) problem listing each issue. */
import { describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES, MAX_FILES } from '../../control-plane/src/api/deployments.ts';
import { allKvKeys, bundle, callJson, configYaml } from './support.ts';

const DEPLOYMENTS = '/api/v1/deployments';
const good = bundle('staging', { 'edgeway.yaml': configYaml('staging') });

async function expectInvalid(path: string, options: Parameters<typeof callJson>[1]) {
  const { status, body } = await callJson(path, options);
  expect(status).toBe(400);
  expect(body).toMatchObject({ type: 'https://edgeway.dev/problems/invalid-request', status: 400 });
  return body.errors as { in: string; path: string; message: string }[];
}

describe('POST /api/v1/deployments validation', () => {
  it('lists every issue with its path and message', async () => {
    const errors = await expectInvalid(DEPLOYMENTS, {
      json: {
        environment: 'Not_Valid',
        files: { 'edgeway.yaml': 42 },
        branch: 'main',
        author: 'a',
        message: 'm',
        extra: 1,
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { in: 'json', path: '/environment', message: expect.stringContaining('environment name') },
        { in: 'json', path: '/files/edgeway.yaml', message: expect.any(String) },
        { in: 'json', path: '/commit', message: expect.any(String) },
        { in: 'json', path: '', message: expect.stringContaining('extra') },
      ]),
    );
  });

  it('rejects file paths that are absolute, empty or climb out of the repo', async () => {
    for (const path of ['/etc/passwd', '../edgeway.yaml', 'a//b.yaml', 'a/./b.yaml', 'dir/', 'a\\b.yaml']) {
      const errors = await expectInvalid(DEPLOYMENTS, { json: { ...good, files: { [path]: 'x' } } });
      expect(errors[0]?.path).toMatch(/^\/files\//);
    }
  });

  it('rejects an empty bundle and one with too many files', async () => {
    expect(await expectInvalid(DEPLOYMENTS, { json: { ...good, files: {} } })).toEqual([
      { in: 'json', path: '/files', message: 'a bundle has at least one file' },
    ]);
    const files = Object.fromEntries(Array.from({ length: MAX_FILES + 1 }, (_, i) => [`f${i}.yaml`, '']));
    expect(await expectInvalid(DEPLOYMENTS, { json: { ...good, files } })).toEqual([
      { in: 'json', path: '/files', message: `a bundle has at most ${MAX_FILES} files` },
    ]);
  });

  it('answers 413 for a bundle over the size limit, before reading it', async () => {
    const { status, body } = await callJson(DEPLOYMENTS, {
      json: { ...good, files: { 'edgeway.yaml': 'x'.repeat(MAX_BUNDLE_BYTES) } },
    });
    expect(status).toBe(413);
    expect(body.type).toBe('https://edgeway.dev/problems/payload-too-large');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const { status, body } = await callJson(DEPLOYMENTS, { body: '{"environment":' });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      type: 'https://edgeway.dev/problems/bad-request',
      detail: 'Malformed JSON in request body',
    });
  });

  it('writes nothing for an invalid request', async () => {
    const before = await allKvKeys();
    await expectInvalid(DEPLOYMENTS, { json: { ...good, environment: '-bad-' } });
    expect(await allKvKeys()).toEqual(before);
  });
});

describe('other inputs', () => {
  it('validates the list query', async () => {
    const errors = await expectInvalid(`${DEPLOYMENTS}?limit=0&cursor=nope&environment=UPPER`, {});
    expect(errors.map((error) => [error.in, error.path])).toEqual([
      ['query', '/environment'],
      ['query', '/limit'],
      ['query', '/cursor'],
    ]);
  });

  it('validates the rollback body and environment name', async () => {
    expect(
      await expectInvalid('/api/v1/environments/staging/rollback', { json: { deploymentId: 'dep_1' } }),
    ).toEqual([{ in: 'json', path: '/deploymentId', message: expect.stringContaining('deployment id') }]);
    const errors = await expectInvalid('/api/v1/environments/Bad_Name/rollback', {
      json: { deploymentId: 'dep_00000000000000000000000000' },
    });
    expect(errors[0]).toMatchObject({ in: 'param', path: '/name' });
  });

  it('validates token creation', async () => {
    const errors = await expectInvalid('/api/v1/tokens', { json: { name: ' ', role: 'root' } });
    expect(errors.map((error) => error.path)).toEqual(['/name', '/role']);
  });
});
