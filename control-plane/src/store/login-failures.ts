/**
 * Failed sign-ins counted per email and client (migration 0011), in fixed windows, so
 * guessing one member's password from one address is slowed to a bounded rate. The key
 * is a hash, so the table holds no email addresses or IPs; windows that have ended are
 * deleted as new failures arrive.
 */

/** The failures counted for the key in the window that started at or after `windowStart`. */
export async function failuresSince(db: D1Database, keyHash: string, windowStart: string): Promise<number> {
  const failures = await db
    .prepare('SELECT failures FROM login_failures WHERE key_hash = ? AND window_started_at >= ?')
    .bind(keyHash, windowStart)
    .first<number>('failures');
  return failures ?? 0;
}

/** Counts one failure at `at`, starting a new window when the key's has ended. */
export async function recordFailure(
  db: D1Database,
  keyHash: string,
  at: string,
  windowStart: string,
): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM login_failures WHERE window_started_at < ?').bind(windowStart),
    db
      .prepare(
        `INSERT INTO login_failures (key_hash, failures, window_started_at) VALUES (?, 1, ?)
         ON CONFLICT (key_hash) DO UPDATE SET failures = failures + 1`,
      )
      .bind(keyHash, at),
  ]);
}

export async function clearFailures(db: D1Database, keyHash: string): Promise<void> {
  await db.prepare('DELETE FROM login_failures WHERE key_hash = ?').bind(keyHash).run();
}
