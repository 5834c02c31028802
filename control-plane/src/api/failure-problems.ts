/**
 * The public text of every expected deploy, rollback and environment deletion failure.
 * Each switch is exhaustive: a new failure reason does not compile until it has its
 * problem here.
 */
import type {
  DeleteEnvironmentFailure,
  DeployFailure,
  PublishFailure,
  RollbackFailure,
} from '../deploy/failures.ts';
import type { DeploymentFailureReason } from '../store/deployments.ts';
import {
  deploymentNotFound,
  environmentNotFound,
  type ProblemSpec,
  secretsKeyUnavailable,
} from './problems.ts';

export function deployFailureProblem(failure: DeployFailure): ProblemSpec {
  const { deploymentId } = failure;
  switch (failure.kind) {
    case 'compile-failed':
      return {
        slug: 'compile-failed',
        status: 422,
        title: 'Config did not compile',
        detail: `${failure.errors.length} error(s) in the config; nothing was deployed. Fix them and push again.`,
        extensions: { deploymentId, errors: failure.errors },
      };
    case 'secrets-unavailable':
      return withExtensions(
        secretsKeyUnavailable(
          failure.failure === 'unauthentic' ? 'not the key that sealed them' : failure.failure,
          'deploy again',
        ),
        { deploymentId },
      );
    default:
      return withExtensions(publishFailureProblem(failure), { deploymentId });
  }
}

export function rollbackFailureProblem(failure: RollbackFailure, environment: string): ProblemSpec {
  switch (failure.kind) {
    case 'deployment-not-found':
      return deploymentNotFound;
    case 'wrong-environment':
      return {
        slug: 'rollback-wrong-environment',
        status: 409,
        title: 'Deployment belongs to another environment',
        detail: `That deployment was made to "${failure.environment}", not "${environment}"; roll back to one of ${environment}'s deployments.`,
      };
    case 'never-live':
      return {
        slug: 'rollback-never-live',
        status: 409,
        title: 'Deployment was never live',
        detail: `That deployment is ${failure.status}; only a deployment that was live before (superseded or rolled back) can be rolled back to.`,
      };
    case 'already-live':
      return {
        slug: 'rollback-already-live',
        status: 409,
        title: 'Deployment is already live',
        detail: `That deployment is what ${environment} serves now; there is nothing to roll back.`,
      };
    case 'blob-unavailable':
      return {
        slug: 'rollback-blob-unavailable',
        status: 409,
        title: 'Deployment can no longer be served',
        detail:
          "That deployment's compiled blob is missing from KV or damaged; deploy its commit again instead.",
      };
    default:
      return publishFailureProblem(failure);
  }
}

export function deleteEnvironmentFailureProblem(
  failure: DeleteEnvironmentFailure,
  environment: string,
): ProblemSpec {
  switch (failure.kind) {
    case 'environment-protected':
      return {
        slug: 'environment-protected',
        status: 409,
        title: 'Environment cannot be deleted',
        detail: `${environment} is what the production branch deploys to; only preview environments can be deleted.`,
      };
    case 'environment-not-found':
      return environmentNotFound;
    default:
      return publishFailureProblem(failure);
  }
}

export function publishFailureProblem(failure: PublishFailure): ProblemSpec {
  switch (failure.kind) {
    case 'deploy-in-progress':
      return {
        slug: 'deploy-in-progress',
        status: 409,
        title: 'Another deploy is in progress',
        detail:
          'Another deploy or rollback to this environment did not finish in time; nothing changed. Retry shortly.',
      };
    case 'host-conflict':
      return {
        slug: 'host-conflict',
        status: 409,
        title: 'Host claimed by another environment',
        detail: `${failure.conflicts.map((c) => `${c.host} belongs to ${c.environment}`).join('; ')}. Nothing changed; remove the host from one of them first.`,
        extensions: { conflicts: failure.conflicts },
      };
    case 'storage-error':
      return {
        slug: 'storage-error',
        status: 503,
        title: 'Storage write failed',
        detail: 'A write to KV failed and the environment was left as it was. Retry shortly.',
      };
  }
}

/** What GET /deployments/:id says about a stored failure reason. */
export function storedFailureText(reason: DeploymentFailureReason): string {
  switch (reason) {
    case 'compile-failed':
      return 'The config did not compile; see errors.';
    case 'deploy-in-progress':
      return 'Another deploy to the environment held it for too long; nothing was deployed.';
    case 'host-conflict':
      return 'The config claimed a host another environment holds; nothing was deployed.';
    case 'storage-error':
      return 'A storage write failed; the environment was left as it was.';
    case 'secrets-unavailable':
      return "The environment's secrets could not be opened with SECRETS_KEY; nothing was deployed.";
    case 'internal-error':
      return 'The control plane failed unexpectedly while deploying; its logs have the details.';
  }
}

function withExtensions(spec: ProblemSpec, extensions: Record<string, unknown>): ProblemSpec {
  return { ...spec, extensions: { ...extensions, ...spec.extensions } };
}
