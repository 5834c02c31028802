/**
 * What an authenticated, fresh, first-seen push does. A push to a branch deploys the files
 * at its new commit, fetched from the provider, to the branch's environment; a push of the
 * zero commit (the branch was deleted) deletes the branch's preview environment. Tags are
 * ignored, and so is deleting the production branch: production is never deleted by a push.
 */
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import type { DeployContext } from '../deploy/context.ts';
import { deleteEnvironment } from '../deploy/delete-environment.ts';
import { createDeployment } from '../deploy/deploy.ts';
import { branchEnvironment, environmentUrl } from '../deploy/environment-settings.ts';
import type { DeleteEnvironmentFailure, DeployFailure } from '../deploy/failures.ts';
import type { RepositoryRecord } from '../store/repositories.ts';
import { type ArchiveFailure, configFilesFromTarball } from './archive/config-files.ts';
import { type FetchFailure, fetchArchive } from './archive/fetch-archive.ts';
import type { Provider, PushEvent } from './provider.ts';

const BRANCH_PREFIX = 'refs/heads/';

export interface PushTarget {
  readonly branch: string;
  readonly environment: EnvironmentName;
  /** Where the environment is served. */
  readonly url: string;
}

export type PushOutcome =
  | { readonly kind: 'not-a-branch'; readonly ref: string }
  | ({ readonly kind: 'production-branch-deleted' } & PushTarget)
  | ({ readonly kind: 'deployed'; readonly deploymentId: DeploymentId } & PushTarget)
  | ({ readonly kind: 'deploy-failed'; readonly failure: DeployFailure } & PushTarget)
  | ({ readonly kind: 'environment-deleted' } & PushTarget)
  | ({ readonly kind: 'delete-failed'; readonly failure: DeleteEnvironmentFailure } & PushTarget)
  /** Nothing was deployed; a redelivery may succeed. */
  | ({ readonly kind: 'token-missing'; readonly secretName: string } & PushTarget)
  | ({ readonly kind: 'archive-failed'; readonly failure: FetchFailure | ArchiveFailure } & PushTarget);

export interface PushRun {
  readonly deploy: DeployContext;
  readonly provider: Provider;
  readonly registration: RepositoryRecord;
  /** The value of the registration's API token secret, if the Worker has it. */
  readonly apiToken: string | undefined;
  /** As recorded in the audit log and on the deployment. */
  readonly actor: string;
}

export async function applyPush(run: PushRun, push: PushEvent): Promise<PushOutcome> {
  if (!push.ref.startsWith(BRANCH_PREFIX)) return { kind: 'not-a-branch', ref: push.ref };
  const branch = push.ref.slice(BRANCH_PREFIX.length);
  const environment = branchEnvironment(run.deploy.settings, branch);
  const target = { branch, environment, url: environmentUrl(run.deploy.settings, environment) };
  if (/^0+$/.test(push.after)) return deleteBranch(run, target);

  if (!run.apiToken)
    return { kind: 'token-missing', secretName: run.registration.apiTokenSecretName, ...target };
  const archive = await fetchArchive(run.provider.archiveRequest(run.registration, push.after, run.apiToken));
  if (!archive.ok) return { kind: 'archive-failed', failure: archive.error, ...target };
  const files = await configFilesFromTarball(archive.value);
  if (!files.ok) return { kind: 'archive-failed', failure: files.error, ...target };

  const deployed = await createDeployment(
    run.deploy,
    {
      environment: target.environment,
      files: files.value,
      commit: push.after,
      branch,
      author: push.author,
      message: push.message,
      trigger: run.provider.name,
    },
    run.actor,
  );
  return deployed.ok
    ? { kind: 'deployed', deploymentId: deployed.value, ...target }
    : { kind: 'deploy-failed', failure: deployed.error, ...target };
}

async function deleteBranch(run: PushRun, target: PushTarget): Promise<PushOutcome> {
  const deleted = await deleteEnvironment(run.deploy, target.environment, run.actor);
  if (deleted.ok) return { kind: 'environment-deleted', ...target };
  if (deleted.error.kind === 'environment-protected') return { kind: 'production-branch-deleted', ...target };
  return { kind: 'delete-failed', failure: deleted.error, ...target };
}
