/**
 * Isolate-level memory with an expiry per entry and a size bound (the least recently
 * used entry goes first): credential checks (introspection results, verified passwords)
 * and rate-limit keys known to be over their limit. Entries are keyed by a SHA-256 of
 * what identifies them (`hashedKey`), so the isolate never holds a token, a password or
 * an unbounded key.
 */

/**
 * Lowercase hex SHA-256 of `parts`, each prefixed with its length so that no two
 * different lists of parts (`["ab", "c"]`, `["a", "bc"]`) share a key.
 */
export async function hashedKey(...parts: readonly string[]): Promise<string> {
  const text = parts.map((part) => `${part.length}:${part}`).join('');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class ExpiringCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The value stored under `key`, unless it expired at or before `now`. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    // Re-inserting moves the entry to the end of the Map's order: most recently used.
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (ms); a value that would already be expired is not stored. */
  set(key: string, value: V, expiresAt: number, now: number): void {
    this.#entries.delete(key);
    if (expiresAt <= now) return;
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt });
  }
}
