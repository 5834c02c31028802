/**
 * Signing in with an email and a password. An unknown email, a wrong password and a
 * disabled member get the same answer after the same work (a password is always derived,
 * against a stand-in hash when there is no member), so the answer and its timing do not
 * tell which emails belong to members. Failures are counted per email and client address,
 * and past MAX_FAILURES in a window sign-in is refused until the window ends.
 */
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../src/config/password-hash.ts';
import { err, ok, type Result } from '../../../src/config/result.ts';
import { clearFailures, failuresSince, recordFailure } from '../store/login-failures.ts';
import { findMemberCredentials, type MemberRecord } from '../store/members.ts';
import { sha256Hex } from './token-crypto.ts';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

export interface Credentials {
  readonly email: string;
  readonly password: string;
  /** CF-Connecting-IP: the edge's view of the client, never a forwarded header. */
  readonly clientIp: string;
}

export type SignInFailure =
  | { readonly kind: 'invalid-credentials' }
  | { readonly kind: 'too-many-failures'; readonly retryAfterSeconds: number };

/** Derived against when the email is unknown; made once per isolate. */
let standInHash: Promise<string> | undefined;

export async function checkCredentials(
  db: D1Database,
  credentials: Credentials,
  now: Date,
): Promise<Result<MemberRecord, SignInFailure>> {
  const failureKey = await sha256Hex(`${credentials.email.toLowerCase()}\n${credentials.clientIp}`);
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_SECONDS * 1000).toISOString();
  if ((await failuresSince(db, failureKey, windowStart)) >= MAX_FAILURES)
    return err({ kind: 'too-many-failures', retryAfterSeconds: FAILURE_WINDOW_SECONDS });

  const found = await findMemberCredentials(db, credentials.email);
  standInHash ??= hashPassword(crypto.randomUUID());
  const stored = parsePasswordHash(found?.passwordHash ?? (await standInHash));
  const matches = stored !== undefined && (await verifyPassword(credentials.password, stored));
  if (!found || !matches || found.member.disabledAt !== null) {
    await recordFailure(db, failureKey, now.toISOString(), windowStart);
    return err({ kind: 'invalid-credentials' });
  }
  await clearFailures(db, failureKey);
  return ok(found.member);
}
