/**
 * Who is calling: the bearer token is either the bootstrap ADMIN_TOKEN secret or an API
 * token found by its hash in D1. Anything else is a value the middleware turns into 401.
 */
import { err, ok, type Result } from '../result.ts';
import { findActiveToken } from '../store/tokens.ts';
import type { Role } from './roles.ts';
import { secretsEqual, sha256Hex, TOKEN_PREFIX } from './token-crypto.ts';

export interface Principal {
  /** As recorded in the audit log: `admin` or `token:<id>`. */
  readonly actor: string;
  readonly role: Role;
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
    return ok({ actor: BOOTSTRAP_ACTOR, role: 'admin' });
  if (token.startsWith(TOKEN_PREFIX)) {
    const record = await findActiveToken(db, await sha256Hex(token));
    if (record) return ok({ actor: `token:${record.id}`, role: record.role });
  }
  return err('invalid-token');
}
