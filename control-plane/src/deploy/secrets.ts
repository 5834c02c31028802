/**
 * An environment's secrets on their way into a deployment. At rest in D1 each is sealed
 * under SECRETS_KEY bound to its environment and name; a deploy opens them so the
 * compiler can check each value where the config uses it, then seals the ones the config
 * uses again, bound to the new deployment (src/config/secret-refs.ts), for the blob. The
 * clear values live only in this request's memory.
 */
import { err, ok, type Result } from '../../../src/config/result.ts';
import { importSecretsKey, type KeyFailure, open, seal } from '../../../src/config/secret-box.ts';
import { deploymentSecretContext } from '../../../src/config/secret-refs.ts';
import { environmentValues } from '../store/environment-values.ts';

/** What a secret's sealed value is bound to: it opens only on its own environment and name. */
export function environmentSecretContext(environment: string, name: string): string {
  return `environment-secret:${environment}/${name}`;
}

export interface OpenedSecrets {
  /** Name to clear value. */
  readonly values: ReadonlyMap<string, string>;
  /** Seals the named secrets for one deployment; undefined when the environment has none. */
  readonly sealFor: (deploymentId: string, names: readonly string[]) => Promise<Record<string, string>>;
}

/**
 * Opens every secret of `environment`. Fails only when there are secrets and the key
 * cannot open them: a missing or malformed SECRETS_KEY, or a row sealed under another key.
 */
export async function openEnvironmentSecrets(
  db: D1Database,
  secretsKey: string | undefined,
  environment: string,
): Promise<Result<OpenedSecrets, KeyFailure | 'unauthentic'>> {
  const sealed = await environmentValues(db, environment, 'secret');
  const names = Object.keys(sealed);
  if (names.length === 0) return ok({ values: new Map(), sealFor: async () => ({}) });
  const key = await importSecretsKey(secretsKey);
  if (!key.ok) return key;
  const values = new Map<string, string>();
  for (const name of names) {
    const opened = await open(key.value, sealed[name]!, environmentSecretContext(environment, name));
    if (!opened.ok) return err(opened.error === 'malformed' ? 'malformed' : 'unauthentic');
    values.set(name, opened.value);
  }
  const sealFor = async (deploymentId: string, used: readonly string[]) => {
    const entries = await Promise.all(
      used.map(async (name) => [
        name,
        await seal(key.value, values.get(name)!, deploymentSecretContext(deploymentId, name)),
      ]),
    );
    return Object.fromEntries(entries);
  };
  return ok({ values, sealFor });
}
