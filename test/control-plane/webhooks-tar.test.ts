/**
 * The tar reader and the config-file extraction, on archives `git archive` made of the fake
 * provider's repository: ustar and pax long names, directories, checksums, truncation and
 * size limits.
 */
import { describe, expect, it } from 'vitest';
import { configFilesFromTarball } from '../../control-plane/src/webhooks/archive/config-files.ts';
import { readTar, type TarLimits } from '../../control-plane/src/webhooks/archive/tar.ts';
import { fake } from './webhooks-support.ts';

const tar = Uint8Array.from(atob(fake.mainTarBase64), (char) => char.charCodeAt(0));
const roomy: TarLimits = { archiveBytes: 1024 * 1024, keptBytes: 1024 * 1024 };

/** The bytes as a stream, in chunks of `size` so headers and data straddle chunk boundaries. */
function stream(bytes: Uint8Array, size = 100): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

function gzip(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return stream(bytes).pipeThrough(new CompressionStream('gzip'));
}

describe('readTar', () => {
  it('lists files and directories, reading only kept files, with pax long names', async () => {
    const read = await readTar(
      stream(tar),
      roomy,
      (path) => path.endsWith('.yaml') || path.endsWith('.json'),
    );
    expect(read.ok).toBe(true);
    const entries = read.ok ? read.value : [];
    expect(entries.map(({ path, type }) => [path, type])).toEqual([
      ['repo/', 'directory'],
      ['repo/README.md', 'file'],
      ['repo/edgeway.yaml', 'file'],
      ['repo/openapi/', 'directory'],
      [`repo/${fake.longPath}`, 'file'],
    ]);
    expect(`repo/${fake.longPath}`.length).toBeGreaterThan(100);
    const text = (path: string) => {
      const data = entries.find((entry) => entry.path === path)?.data;
      return data && new TextDecoder().decode(data);
    };
    expect(text('repo/README.md')).toBeUndefined();
    expect(text('repo/edgeway.yaml')).toContain('x-commit: main');
    expect(text(`repo/${fake.longPath}`)).toBe('{"openapi":"3.1.0"}\n');
  });

  it('stops at the archive byte limit and at the kept byte limit', async () => {
    expect(
      await readTar(stream(tar), { archiveBytes: 2048, keptBytes: roomy.keptBytes }, () => true),
    ).toEqual({
      ok: false,
      error: { kind: 'too-large', limit: 'archive', bytes: 2048 },
    });
    expect(
      await readTar(stream(tar), { archiveBytes: roomy.archiveBytes, keptBytes: 10 }, () => true),
    ).toEqual({
      ok: false,
      error: { kind: 'too-large', limit: 'kept', bytes: 10 },
    });
  });

  it('refuses a header whose checksum does not match, and a stream that ends inside an entry', async () => {
    const corrupt = tar.slice();
    corrupt[1024 + 5] = (corrupt[1024 + 5]! + 1) % 256;
    expect(await readTar(stream(corrupt), roomy, () => true)).toEqual({
      ok: false,
      error: { kind: 'bad-header' },
    });
    expect(await readTar(stream(tar.slice(0, 1024 + 700)), roomy, () => true)).toEqual({
      ok: false,
      error: { kind: 'truncated' },
    });
  });

  it('reports a stream that fails as unreadable', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new Error('reset')),
    });
    expect(await readTar(failing, roomy, () => true)).toEqual({ ok: false, error: { kind: 'unreadable' } });
  });
});

describe('configFilesFromTarball', () => {
  it('keeps the YAML and JSON files, without the top-level folder', async () => {
    const files = await configFilesFromTarball(gzip(tar));
    expect(files.ok && Object.keys(files.value).sort()).toEqual(['edgeway.yaml', fake.longPath]);
  });

  it('reports bytes that are not gzip as unreadable', async () => {
    expect(await configFilesFromTarball(stream(tar))).toEqual({ ok: false, error: { kind: 'unreadable' } });
  });
});
