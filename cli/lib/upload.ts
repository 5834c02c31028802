/**
 * The step every CLI deploy ends with, from `edgeway deploy` and from the Git push hook
 * alike: uploads the bundle to the control plane, prints where it went live, and turns
 * the control plane's rejection of the config into its errors as file:line:col.
 */
import {
  ApiError,
  type ControlPlaneClient,
  type DeploymentBundle,
  type DeploymentSummary,
} from './control-plane-client.ts';
import { CliError } from './errors.ts';
import { plural } from './format.ts';
import { formatCompileErrors } from './local-compile.ts';

/** `dir` is the config folder the compile errors' files are relative to. */
export async function uploadBundle(
  client: ControlPlaneClient,
  bundle: DeploymentBundle,
  dir: string,
): Promise<DeploymentSummary> {
  console.log(`Uploading ${plural(Object.keys(bundle.files).length, 'file')} to ${client.baseUrl}...`);
  const deployment = await client.deploy(bundle).catch(async (error: unknown) => {
    throw await deployFailure(error, dir);
  });
  // 201 means live: a deploy that does not go live answers with a problem.
  console.log(`Live: ${deployment.id} in ${deployment.environment} at ${deployment.url}`);
  return deployment;
}

/** A compile failure on the control plane prints its errors like a local one. */
async function deployFailure(error: unknown, dir: string): Promise<unknown> {
  if (!(error instanceof ApiError) || error.compileErrors.length === 0) return error;
  return new CliError(
    `the control plane rejected the config (${plural(error.compileErrors.length, 'error')}); nothing was deployed`,
    await formatCompileErrors(error.compileErrors, dir),
  );
}
