/** crypto/secret-box.ts: AES-GCM sealing of stored secrets, bound to what they belong to. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { importSecretsKey, open, seal } from '../../src/config/secret-box.ts';

async function key(base64 = env.SECRETS_KEY): Promise<CryptoKey> {
  const imported = await importSecretsKey(base64);
  if (!imported.ok) throw new Error(imported.error);
  return imported.value;
}

describe('secret box', () => {
  it('opens what it sealed, with a fresh IV each time', async () => {
    const k = await key();
    const first = await seal(k, 'hunter2-but-longer', 'repository:a');
    const second = await seal(k, 'hunter2-but-longer', 'repository:a');
    expect(first).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('hunter2');
    expect(await open(k, first, 'repository:a')).toEqual({ ok: true, value: 'hunter2-but-longer' });
  });

  it('refuses another context, another key and a changed byte as unauthentic', async () => {
    const k = await key();
    const sealed = await seal(k, 'secret', 'repository:a');
    expect(await open(k, sealed, 'repository:b')).toEqual({ ok: false, error: 'unauthentic' });
    const other = await key(btoa('another-32-byte-key-for-testing!'));
    expect(await open(other, sealed, 'repository:a')).toEqual({ ok: false, error: 'unauthentic' });
    const [version, iv, ciphertext] = sealed.split('.');
    const flipped = `${ciphertext!.startsWith('A') ? 'B' : 'A'}${ciphertext!.slice(1)}`;
    expect(await open(k, [version, iv, flipped].join('.'), 'repository:a')).toEqual({
      ok: false,
      error: 'unauthentic',
    });
  });

  it('tells a malformed value and a missing or malformed key apart', async () => {
    const k = await key();
    for (const value of [
      '',
      'v2.AAAA.AAAA',
      'v1.not base64.AAAA',
      'v1.AAAA.AAAA',
      'v1.AAAAAAAAAAAAAAAA.AAAA.extra',
    ]) {
      expect(await open(k, value, 'c')).toEqual({ ok: false, error: 'malformed' });
    }
    expect(await importSecretsKey(undefined)).toEqual({ ok: false, error: 'missing' });
    expect(await importSecretsKey('')).toEqual({ ok: false, error: 'missing' });
    expect(await importSecretsKey(btoa('sixteen byte key'))).toEqual({ ok: false, error: 'malformed' });
    expect(await importSecretsKey('%%%')).toEqual({ ok: false, error: 'malformed' });
  });
});
