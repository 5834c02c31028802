/**
 * The KV keys the planes exchange, in one place so writer and reader cannot drift.
 * docs/storage.md describes each key's value, writer, reader and lifetime.
 */
import type { DeploymentId, EnvironmentName } from './ids.ts';

export const kvKeys = {
  /** Immutable compiled deployment blob. */
  deployment: (id: DeploymentId | string) => `deployment/${id}`,
  /** Mutable pointer: which deployment an environment serves now. */
  environmentPointer: (environment: EnvironmentName | string) => `environment/${environment}/live`,
  /** Mutable: which environment a request's Host is served by. */
  host: (hostname: string) => `host/${hostname.toLowerCase()}`,
  /** Mutable: an API key's record (src/config/api-keys.ts), by the key's SHA-256 hex. */
  apiKey: (sha256Hex: string) => `apikey/${sha256Hex}`,
} as const;
