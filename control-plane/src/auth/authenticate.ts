/**
 * Who is calling with a bearer token: the bootstrap ADMIN_TOKEN secret (the break-glass
 * owner credential) or an API token found by its hash in D1. Anything else is a value the
 * middleware turns into 401. Dashboard sessions are the other way in (sessions.ts); both
 * give a Principal, which is all authorization looks at.
 */
import { err, ok, type Result } from '../../../src/config/result.ts';
import { findActiveToken } from '../store/tokens.ts';
import type { Role } from './roles.ts';
import { secretsEqual, sha256Hex, TOKEN_PREFIX } from './token-crypto.ts';

export interface Principal {
  /** As recorded in the audit log: `admin`, `token:<id>` or `member:<id>` (a session). */
  readonly actor: string;
  readonly role: Role;
  /** The member acting; null for the bootstrap token and for tokens of no member. */
  readonly memberId: string | null;
  /** A session's mutations need its CSRF token; a bearer token's never do. */
  readonly via: 'bearer' | 'session';
}

export type AuthFailure = 'missing-token' | 'invalid-token';

export const BOOTSTRAP_ACTOR = 'admin';

export async function authenticate(
  db: D1Database,
  adminToken: string | undefined,
  authorization: string | undefined,
): Promise<Result<Principal, AuthFailure>> {
  const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return err('missing-token');
  // An unset or empty secret disables the bootstrap token rather than matching "".
  if (adminToken && (await secretsEqual(token, adminToken)))
    return ok({ actor: BOOTSTRAP_ACTOR, role: 'owner', memberId: null, via: 'bearer' });
  if (token.startsWith(TOKEN_PREFIX)) {
    const record = await findActiveToken(db, await sha256Hex(token));
    if (record)
      return ok({ actor: `token:${record.id}`, role: record.role, memberId: record.memberId, via: 'bearer' });
  }
  return err('invalid-token');
}
