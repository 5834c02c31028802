/**
 * The JSON the API returns for a deployment: the stored record, plus why it failed and
 * the compiler's errors when it did.
 */
import type { DeploymentRecord } from '../store/deployments.ts';
import { storedFailureText } from './failure-problems.ts';

export function deploymentView(record: DeploymentRecord) {
  const { failureReason, errors, ...rest } = record;
  if (rest.status !== 'failed' || failureReason === null) return rest;
  return {
    ...rest,
    failure: { reason: failureReason, detail: storedFailureText(failureReason) },
    errors: errors ?? [],
  };
}
