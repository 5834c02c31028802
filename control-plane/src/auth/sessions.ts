/**
 * Dashboard sessions: starting one for a signed-in member, resolving the id a cookie
 * carries to the member acting and their role, and ending one. The id is 256 random
 * bits and only its SHA-256 is stored; each session has its own CSRF token, which every
 * mutation made with it must present (csrf.ts).
 */
import { deleteSession, findActiveSession, insertSession } from '../store/sessions.ts';
import type { Principal } from './authenticate.ts';
import { randomSecret, sha256Hex } from './token-crypto.ts';

/** How long a session lasts from sign-in: a working day. */
export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;
const SECRET_BYTES = 32;

export interface StartedSession {
  /** For the cookie; never stored. */
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface ResolvedSession {
  readonly principal: Principal;
  readonly csrfToken: string;
}

/** Starts a session for the member, replacing the browser's previous one (`previousId`). */
export async function startSession(
  db: D1Database,
  memberId: string,
  previousId: string | undefined,
  now: Date,
): Promise<StartedSession> {
  const id = randomSecret(SECRET_BYTES);
  const csrfToken = randomSecret(SECRET_BYTES);
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000).toISOString();
  const replaced = previousId ? await sha256Hex(previousId) : null;
  await insertSession(
    db,
    { idHash: await sha256Hex(id), memberId, csrfToken, createdAt, expiresAt },
    replaced,
    { actor: memberActor(memberId), action: 'session.create', target: memberId },
  );
  return { id, csrfToken, expiresAt };
}

export async function resolveSession(db: D1Database, id: string, now: Date): Promise<ResolvedSession | null> {
  const session = await findActiveSession(db, await sha256Hex(id), now.toISOString());
  if (!session) return null;
  return {
    principal: {
      actor: memberActor(session.memberId),
      role: session.role,
      memberId: session.memberId,
      via: 'session',
    },
    csrfToken: session.csrfToken,
  };
}

export async function endSession(db: D1Database, id: string): Promise<void> {
  await deleteSession(db, await sha256Hex(id));
}

function memberActor(memberId: string): string {
  return `member:${memberId}`;
}
