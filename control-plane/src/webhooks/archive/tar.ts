/**
 * Reads the tar archives providers serve, which `git archive` writes: POSIX ustar headers
 * (name, and prefix for longer paths), pax extended headers (`x`) whose `path` and `size`
 * records override the next header's, and pax global headers (`g`, where git keeps the
 * commit id), which are skipped (POSIX.1-2001, IEEE Std 1003.1 "pax Interchange Format").
 * Links and devices are listed but never followed. Every header's checksum is checked. Only
 * the files `keep` accepts are read into memory, within `keptBytes`; the rest is skipped
 * within `archiveBytes` of tar stream in total.
 */
import { err, ok, type Result } from '../../../../src/config/result.ts';
import { byteSource, type SourceFailure, SourceStop } from './byte-source.ts';

const BLOCK = 512;
const MAX_PAX_BYTES = 64 * 1024;

export interface TarLimits {
  /** Bytes of (uncompressed) tar stream read at most. */
  readonly archiveBytes: number;
  /** Bytes of kept file content at most. */
  readonly keptBytes: number;
}

export type TarEntryType = 'file' | 'directory' | 'other';

export interface TarEntry {
  readonly path: string;
  readonly type: TarEntryType;
  readonly size: number;
  /** The content of a regular file that `keep` accepted. */
  readonly data?: Uint8Array;
}

export type TarFailure =
  | SourceFailure
  /** A header whose checksum or size field is wrong: not a tar archive, or a damaged one. */
  | { readonly kind: 'bad-header' }
  | { readonly kind: 'too-large'; readonly limit: 'kept'; readonly bytes: number };

export async function readTar(
  tar: ReadableStream<Uint8Array>,
  limits: TarLimits,
  keep: (path: string) => boolean,
): Promise<Result<TarEntry[], TarFailure>> {
  const source = byteSource(tar, limits.archiveBytes);
  const entries: TarEntry[] = [];
  let kept = 0;
  let pax: Map<string, string> | null = null;
  try {
    for (;;) {
      const block = await source.takeOrEnd(BLOCK);
      if (block === null || block.every((byte) => byte === 0)) break;
      const header = parseHeader(block);
      if (!header) return err({ kind: 'bad-header' });

      if (header.typeflag === 'x' || header.typeflag === 'g') {
        if (header.size > MAX_PAX_BYTES) return err({ kind: 'bad-header' });
        const records = parsePax((await source.take(padded(header.size))).subarray(0, header.size));
        if (!records) return err({ kind: 'bad-header' });
        // A global header applies to the whole archive; git only records the commit id in it.
        if (header.typeflag === 'x') pax = records;
        continue;
      }

      const size = pax?.has('size') ? Number(pax.get('size')) : header.size;
      if (!Number.isSafeInteger(size) || size < 0) return err({ kind: 'bad-header' });
      const path = pax?.get('path') ?? header.path;
      pax = null;
      const type = entryType(header.typeflag);
      if (type === 'file' && keep(path)) {
        kept += size;
        if (kept > limits.keptBytes)
          return err({ kind: 'too-large', limit: 'kept', bytes: limits.keptBytes });
        const data = (await source.take(padded(size))).subarray(0, size);
        entries.push({ path, type, size, data });
      } else {
        await source.skip(padded(size));
        entries.push({ path, type, size });
      }
    }
    return ok(entries);
  } catch (error) {
    if (error instanceof SourceStop) return err(error.failure);
    throw error;
  } finally {
    await source.close();
  }
}

/** Entry data is padded to whole blocks. */
function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

interface Header {
  readonly path: string;
  readonly size: number;
  readonly typeflag: string;
}

/** Null when the checksum does not match or a numeric field is not octal. */
function parseHeader(block: Uint8Array): Header | null {
  const checksum = octal(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  const size = octal(block.subarray(124, 136));
  if (checksum !== sum || size === null) return null;
  const name = text(block.subarray(0, 100));
  const ustar = text(block.subarray(257, 262)) === 'ustar';
  const prefix = ustar ? text(block.subarray(345, 500)) : '';
  return {
    path: prefix ? `${prefix}/${name}` : name,
    size,
    typeflag: String.fromCharCode(block[156]!),
  };
}

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

/** Records `"<length> <key>=<value>\n"`, the length counting the whole record; null if malformed. */
function parsePax(bytes: Uint8Array): Map<string, string> | null {
  const records = new Map<string, string>();
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const length = Number(text(bytes.subarray(at, space)));
    if (space < 0 || !Number.isSafeInteger(length) || length <= space - at || at + length > bytes.length) {
      return null;
    }
    const record = new TextDecoder().decode(bytes.subarray(space + 1, at + length - 1));
    const equals = record.indexOf('=');
    if (equals < 0 || bytes[at + length - 1] !== 0x0a) return null;
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** An octal field, NUL- or space-terminated; null if anything else is in it. */
function octal(field: Uint8Array): number | null {
  const digits = text(field).trim();
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : null;
}

/** A NUL-terminated UTF-8 field. */
function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}
