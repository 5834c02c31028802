/**
 * What the webhook answers once a push was handled. A deploy or deletion that ran answers
 * 202 with its outcome, a failed compile's errors included, because a redelivery would
 * fail the same way and providers count error statuses against the hook (GitLab disables
 * hooks that keep failing). The answer is a problem when a redelivery may succeed (the
 * environment was busy, a storage write failed, the archive could not be fetched, the
 * token secret is unset; the delivery is then released), and 422 when the repository
 * itself is too large. Each switch is exhaustive.
 */

import { problemType } from '../../../src/config/problem.ts';
import { deleteEnvironmentFailureProblem, deployFailureProblem } from '../api/failure-problems.ts';
import type { ProblemSpec } from '../api/problems.ts';
import type { PushOutcome, PushTarget } from './apply-push.ts';
import type { ArchiveFailure } from './archive/config-files.ts';
import type { FetchFailure } from './archive/fetch-archive.ts';

export type Answer =
  | { readonly kind: 'accepted'; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: 'problem'; readonly spec: ProblemSpec; readonly retryable: boolean };

export function outcomeAnswer(outcome: PushOutcome): Answer {
  switch (outcome.kind) {
    case 'not-a-branch':
      return ignored(
        { ref: outcome.ref },
        'not-a-branch',
        'Only pushes to branches deploy; tags are ignored.',
      );
    case 'production-branch-deleted': {
      const { kind, ...target } = outcome;
      return ignored(
        target,
        kind,
        'The production branch was deleted; production is never deleted by a push.',
      );
    }
    case 'deployed':
    case 'environment-deleted': {
      const { kind, ...rest } = outcome;
      return { kind: 'accepted', body: { outcome: kind, ...rest } };
    }
    case 'deploy-failed': {
      const { kind, failure, ...target } = outcome;
      const { deploymentId } = failure;
      return failed(kind, target, deployFailureProblem(failure), isTransient(failure), { deploymentId });
    }
    case 'delete-failed': {
      const { kind, failure, ...target } = outcome;
      const spec = deleteEnvironmentFailureProblem(failure, target.environment);
      return failed(kind, target, spec, isTransient(failure));
    }
    case 'token-missing':
      return {
        kind: 'problem',
        retryable: true,
        spec: {
          slug: 'provider-token-missing',
          status: 503,
          title: 'Provider API token not configured',
          detail: `The Worker secret ${outcome.secretName}, which holds the token for the provider's API, is not set. Nothing was deployed; set it and redeliver.`,
        },
      };
    case 'archive-failed':
      return archiveProblem(outcome.failure);
  }
}

function archiveProblem(failure: FetchFailure | ArchiveFailure): Answer {
  const unavailable = (detail: string): Answer => ({
    kind: 'problem',
    retryable: true,
    spec: { slug: 'archive-unavailable', status: 502, title: 'Commit archive unavailable', detail },
  });
  switch (failure.kind) {
    case 'provider-refused':
      return unavailable(
        `The provider answered ${failure.status} for the commit's archive: check the API token's access and apiBaseUrl. Nothing was deployed.`,
      );
    case 'provider-unreachable':
    case 'too-many-redirects':
      return unavailable(
        "The provider's API could not be reached for the commit's archive. Nothing was deployed.",
      );
    case 'unreadable':
    case 'truncated':
    case 'bad-header':
      return unavailable("The commit's archive is not a whole gzipped tar archive. Nothing was deployed.");
    case 'too-large':
    case 'too-many-files':
      return {
        kind: 'problem',
        retryable: false,
        spec: {
          slug: 'archive-too-large',
          status: 422,
          title: 'Repository too large',
          detail: `The commit's archive exceeds the ${failure.kind === 'too-many-files' ? `${failure.limit} config files` : `${failure.bytes} bytes (${failure.limit})`} a deployment may take. Nothing was deployed.`,
        },
      };
  }
}

/**
 * A deploy or deletion that failed: 202 with the failure, or, when a redelivery may
 * succeed (the environment was busy, a storage write failed), the failure as the answer.
 */
function failed(
  outcome: string,
  target: PushTarget,
  spec: ProblemSpec,
  transient: boolean,
  fields: Readonly<Record<string, unknown>> = {},
): Answer {
  if (transient)
    return {
      kind: 'problem',
      retryable: true,
      spec: { ...spec, extensions: { ...target, ...spec.extensions } },
    };
  return { kind: 'accepted', body: { outcome, ...target, ...fields, failure: described(spec) } };
}

function isTransient(failure: { readonly kind: string }): boolean {
  return failure.kind === 'deploy-in-progress' || failure.kind === 'storage-error';
}

function ignored(fields: Readonly<Record<string, unknown>>, reason: string, detail: string): Answer {
  return { kind: 'accepted', body: { outcome: 'ignored', reason, detail, ...fields } };
}

/** A problem as a member of a 202 body: the problem document without status or request id. */
function described(spec: ProblemSpec): Record<string, unknown> {
  return { type: problemType(spec.slug), title: spec.title, detail: spec.detail, ...spec.extensions };
}
