/**
 * The config files at one commit, from the gzipped tarball a provider serves for it. Both
 * GitHub (`<owner>-<repo>-<sha>/`) and GitLab (`<project>-<sha>-<sha>/`) put everything
 * under one top-level folder, which is stripped. Only `.yaml`, `.yml` and `.json` files
 * with safe relative paths are kept, within the limits of a deployment bundle
 * (api/deployments.ts); the rest of the archive is read past, within ARCHIVE_BYTES.
 */

import { err, ok, type Result } from '../../../../src/config/result.ts';
import { MAX_BUNDLE_BYTES, MAX_FILES } from '../../api/deployments.ts';
import { readTar, type TarFailure } from './tar.ts';

/** Uncompressed tar bytes read at most: generous for a config repo, small for a Worker. */
const ARCHIVE_BYTES = 64 * 1024 * 1024;
const CONFIG_FILE = /\.(?:ya?ml|json)$/;
const MAX_PATH_CHARS = 256;

export type ArchiveFailure = TarFailure | { readonly kind: 'too-many-files'; readonly limit: number };

export async function configFilesFromTarball(
  gzipped: ReadableStream<Uint8Array>,
): Promise<Result<Record<string, string>, ArchiveFailure>> {
  const read = await readTar(
    gzipped.pipeThrough(new DecompressionStream('gzip')),
    { archiveBytes: ARCHIVE_BYTES, keptBytes: MAX_BUNDLE_BYTES },
    (path) => isConfigFile(withoutTopFolder(path)),
  );
  if (!read.ok) return read;
  const files: Record<string, string> = {};
  const decoder = new TextDecoder();
  let count = 0;
  for (const entry of read.value) {
    const path = withoutTopFolder(entry.path);
    if (entry.data === undefined || path === null) continue;
    if (++count > MAX_FILES) return err({ kind: 'too-many-files', limit: MAX_FILES });
    files[path] = decoder.decode(entry.data);
  }
  return ok(files);
}

/** `top/a/b.yaml` -> `a/b.yaml`; null for the top folder itself. */
function withoutTopFolder(path: string): string | null {
  const slash = path.indexOf('/');
  return slash < 0 || slash === path.length - 1 ? null : path.slice(slash + 1);
}

/** A config file at a path the deployments API would accept: relative, no `.`, `..` or empty segment. */
function isConfigFile(path: string | null): boolean {
  return (
    path !== null &&
    path.length <= MAX_PATH_CHARS &&
    CONFIG_FILE.test(path) &&
    !/[\\\0]/.test(path) &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}
