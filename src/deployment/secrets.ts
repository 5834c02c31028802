/**
 * Opens the secrets a deployment carries (format 2) and fills them into the options of
 * the policies that use them, which are then validated against the policy's schema, as
 * the compiler validated them with the same values. Runs once per deployment load, never
 * per request. A deployment whose secrets cannot be opened (no SECRETS_KEY, another key,
 * a damaged value) cannot be served and counts as corrupt: the last-known-good one keeps
 * serving. No failure message holds a secret's value.
 */
import type { CompiledDeployment, CompiledPolicy } from '../config/compiled.ts';
import { isPolicyType } from '../config/policy-catalog.ts';
import { importSecretsKey, open } from '../config/secret-box.ts';
import { deploymentSecretContext, fillSecrets } from '../config/secret-refs.ts';
import { policies } from '../policies/index.ts';
import { corrupt, type Loaded, loaded } from './failure.ts';

/** Imports the key once, on the first deployment that needs it. */
export function secretsKeyLoader(base64: string | undefined): () => ReturnType<typeof importSecretsKey> {
  let key: ReturnType<typeof importSecretsKey> | undefined;
  return () => {
    key ??= importSecretsKey(base64);
    return key;
  };
}

export async function revealSecrets(
  deployment: CompiledDeployment,
  blobKey: string,
  secretsKey: () => ReturnType<typeof importSecretsKey>,
): Promise<Loaded<CompiledDeployment>> {
  const entries = Object.entries(deployment.config.policies);
  const names = new Set(entries.flatMap(([, policy]) => policy.secrets ?? []));
  if (names.size === 0) return loaded(deployment);

  const key = await secretsKey();
  if (!key.ok) return corrupt(blobKey, `uses secrets, and this data plane's SECRETS_KEY is ${key.error}`);
  const values = new Map<string, string>();
  for (const name of names) {
    const sealed = deployment.secrets?.[name];
    if (sealed === undefined) return corrupt(blobKey, `uses secret ${name}, which it does not carry`);
    const opened = await open(key.value, sealed, deploymentSecretContext(deployment.deploymentId, name));
    if (!opened.ok)
      return corrupt(blobKey, `cannot open secret ${name} (${opened.error}); check SECRETS_KEY`);
    values.set(name, opened.value);
  }

  const filled: [string, CompiledPolicy][] = [];
  for (const [name, policy] of entries) {
    if (!policy.secrets || !isPolicyType(policy.type)) {
      filled.push([name, policy]);
      continue;
    }
    const parsed = policies[policy.type].schema.safeParse(fillSecrets(policy.options, values));
    if (!parsed.success) {
      // Only the path: a schema message may quote the value, which is a secret's.
      const at = parsed.error.issues[0]?.path.join('.') ?? '';
      return corrupt(
        blobKey,
        `policy "${name}" has invalid options once its secrets are filled in (at "${at}")`,
      );
    }
    filled.push([name, { type: policy.type, mode: policy.mode, options: parsed.data }]);
  }
  return loaded({ ...deployment, config: { ...deployment.config, policies: Object.fromEntries(filled) } });
}
