/**
 * The local owner `npm start` makes, so a new user can sign in to the dashboard at once:
 * a member with the owner role, invited with the bootstrap token, whose password is kept
 * in the persist folder beside the admin token. A later start finds the member there and
 * keeps it as it is.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApiError, type ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { inviteMember } from '../../cli/lib/members-api.ts';
import { loadOrCreateSecret } from './local-stack.ts';

export const LOCAL_OWNER_EMAIL = 'owner@edgeway.localhost';
export const OWNER_PASSWORD_FILE = 'owner-password';

export interface LocalOwner {
  readonly email: string;
  readonly password: string;
  readonly passwordFile: string;
}

export async function ensureLocalOwner(client: ControlPlaneClient, persistTo: string): Promise<LocalOwner> {
  const password = loadOrCreateSecret(persistTo, OWNER_PASSWORD_FILE, () =>
    randomBytes(18).toString('base64url'),
  );
  try {
    await inviteMember(client, { email: LOCAL_OWNER_EMAIL, name: 'Local owner', role: 'owner', password });
  } catch (error) {
    // Made by an earlier start.
    if (!(error instanceof ApiError && error.status === 409)) throw error;
  }
  return { email: LOCAL_OWNER_EMAIL, password, passwordFile: join(persistTo, OWNER_PASSWORD_FILE) };
}
