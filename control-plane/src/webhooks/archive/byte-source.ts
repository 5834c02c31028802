/**
 * Exact-length reads from a byte stream, for the tar reader: `take(n)` returns exactly n
 * bytes, `skip(n)` drops n without copying them. It stops at a byte budget, so a small
 * compressed archive cannot make the reader consume an unbounded amount of data.
 */

export type SourceFailure =
  /** The stream ended inside a record. */
  | { readonly kind: 'truncated' }
  /** The stream failed: not gzip, or the connection broke. */
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'too-large'; readonly limit: 'archive'; readonly bytes: number };

/** Thrown inside the tar reader and turned back into its failure value at its boundary. */
export class SourceStop extends Error {
  readonly failure: SourceFailure;
  constructor(failure: SourceFailure) {
    super(failure.kind);
    this.failure = failure;
  }
}

export interface ByteSource {
  /** Exactly `length` bytes. */
  take(length: number): Promise<Uint8Array>;
  /** Exactly `length` bytes, or null when the stream ends before the first of them. */
  takeOrEnd(length: number): Promise<Uint8Array | null>;
  skip(length: number): Promise<void>;
  close(): Promise<void>;
}

export function byteSource(stream: ReadableStream<Uint8Array>, maxBytes: number): ByteSource {
  const reader = stream.getReader();
  let chunk: Uint8Array = new Uint8Array(0);
  let offset = 0;
  let consumed = 0;

  /** Makes bytes available; false when the stream has ended. */
  async function fill(): Promise<boolean> {
    while (offset === chunk.length) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new SourceStop({ kind: 'unreadable' });
      }
      if (next.done) return false;
      consumed += next.value.length;
      if (consumed > maxBytes) throw new SourceStop({ kind: 'too-large', limit: 'archive', bytes: maxBytes });
      chunk = next.value;
      offset = 0;
    }
    return true;
  }

  /** Hands each available run of the next `length` bytes to `use`. */
  async function consume(length: number, use: (bytes: Uint8Array, at: number) => void): Promise<number> {
    let done = 0;
    while (done < length) {
      if (!(await fill())) return done;
      const count = Math.min(length - done, chunk.length - offset);
      use(chunk.subarray(offset, offset + count), done);
      offset += count;
      done += count;
    }
    return done;
  }

  async function takeOrEnd(length: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(length);
    const got = await consume(length, (bytes, at) => out.set(bytes, at));
    if (got === length) return out;
    if (got === 0) return null;
    throw new SourceStop({ kind: 'truncated' });
  }

  return {
    takeOrEnd,
    async take(length) {
      const bytes = await takeOrEnd(length);
      if (bytes === null) throw new SourceStop({ kind: 'truncated' });
      return bytes;
    },
    async skip(length) {
      if ((await consume(length, () => {})) < length) throw new SourceStop({ kind: 'truncated' });
    },
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
}
