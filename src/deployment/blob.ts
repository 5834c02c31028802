/**
 * Verifies a compiled deployment blob before it is served: it must match the schema, be
 * in a format this data plane reads (N and N-1, see src/config/compiled.ts), be the
 * deployment its key names, and hash to its recorded content hash. A blob failing any
 * of these is corrupt and never replaces the deployment being served.
 */
import { canonicalJson, contentHash } from '../config/canonical.ts';
import { type CompiledDeployment, CompiledDeploymentSchema, READABLE_FORMATS } from '../config/compiled.ts';
import { corrupt, type Loaded, validated } from './failure.ts';

export async function verifyDeployment(
  json: unknown,
  key: string,
  deploymentId: string,
): Promise<Loaded<CompiledDeployment>> {
  const result = validated(CompiledDeploymentSchema, json, key);
  if (!result.ok) return result;
  const deployment = result.value;
  if (!READABLE_FORMATS.includes(deployment.format)) {
    return corrupt(key, `has format ${deployment.format}, which this data plane cannot read`);
  }
  if (deployment.deploymentId !== deploymentId) {
    return corrupt(key, `holds deployment ${deployment.deploymentId}`);
  }
  // Hash the config as written, not as parsed: parsing drops keys this build does not know.
  const hash = await contentHash(canonicalJson((json as { config: unknown }).config));
  if (hash !== deployment.hash) return corrupt(key, `hashes to ${hash}, not its recorded ${deployment.hash}`);
  return result;
}
