/**
 * What deploys, rollbacks and deletions run against: D1, the CONFIG namespace, where
 * environments are served, and how they wait and log.
 */
import type { Logger } from '../log.ts';
import type { ConfigKv } from './config-kv.ts';
import type { EnvironmentSettings } from './environment-settings.ts';

export interface DeployContext {
  readonly db: D1Database;
  readonly kv: ConfigKv;
  /** How long to wait for another deploy to the same environment before giving up with 409. */
  readonly leaseWaitMs: number;
  readonly log: Logger;
  /** The production branch and environment URLs; a preview claims its URL's host. */
  readonly settings: EnvironmentSettings;
  /** The SECRETS_KEY Worker secret, which opens the environment's secrets. */
  readonly secretsKey: string | undefined;
}
