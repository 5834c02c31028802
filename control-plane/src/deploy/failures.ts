/**
 * Why a deploy, rollback or environment deletion did not happen. Each reason is a value
 * the API turns into its problem text (api/failure-problems.ts); nothing here throws.
 */
import type { DeploymentId } from '../../../src/config/ids.ts';
import type { KeyFailure } from '../../../src/config/secret-box.ts';
import type { CompileError } from '../compiler/index.ts';
import type { DeploymentStatus } from '../store/deployments.ts';
import type { HostConflict } from '../store/hosts.ts';

/** Failures while switching an environment to a deployment, shared by deploy and rollback. */
export type PublishFailure =
  /** Another deploy or rollback held the environment's lease for the whole wait. */
  | { readonly kind: 'deploy-in-progress' }
  | { readonly kind: 'host-conflict'; readonly conflicts: readonly HostConflict[] }
  /** A KV write failed; the previous keys were put back. */
  | { readonly kind: 'storage-error' };

export type DeployFailureReason =
  | PublishFailure
  | { readonly kind: 'compile-failed'; readonly errors: readonly CompileError[] }
  /** The environment has secrets and SECRETS_KEY cannot open them. */
  | { readonly kind: 'secrets-unavailable'; readonly failure: KeyFailure | 'unauthentic' };

/** Every failed deploy has a deployment id: the row records the failure. */
export type DeployFailure = DeployFailureReason & { readonly deploymentId: DeploymentId };

export type RollbackFailure =
  | PublishFailure
  | { readonly kind: 'deployment-not-found' }
  | { readonly kind: 'wrong-environment'; readonly environment: string }
  | { readonly kind: 'never-live'; readonly status: DeploymentStatus }
  | { readonly kind: 'already-live' }
  /** The target's blob is gone from KV or no longer whole. */
  | { readonly kind: 'blob-unavailable' };

export type DeleteEnvironmentFailure =
  /** Production is what the production branch deploys to; it is never deleted. */
  | { readonly kind: 'environment-protected' }
  | { readonly kind: 'environment-not-found' }
  | Exclude<PublishFailure, { readonly kind: 'host-conflict' }>;
