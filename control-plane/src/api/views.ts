/**
 * The JSON the API returns for a deployment and an environment: the stored record plus
 * the URL its environment is served at, the compiler's warnings (`[]` when there are none
 * or it never compiled), and for a failed deployment why it failed and the compiler's errors.
 */
import { type EnvironmentSettings, environmentUrl } from '../deploy/environment-settings.ts';
import type { DeploymentRecord } from '../store/deployments.ts';
import type { EnvironmentRecord } from '../store/environments.ts';
import { storedFailureText } from './failure-problems.ts';

export function deploymentView(record: DeploymentRecord, settings: EnvironmentSettings) {
  const { failureReason, errors, warnings, ...rest } = record;
  const view = { ...rest, warnings: warnings ?? [], url: environmentUrl(settings, record.environment) };
  if (rest.status !== 'failed' || failureReason === null) return view;
  return {
    ...view,
    failure: { reason: failureReason, detail: storedFailureText(failureReason) },
    errors: errors ?? [],
  };
}

export function environmentView(record: EnvironmentRecord, settings: EnvironmentSettings) {
  return { ...record, url: environmentUrl(settings, record.name) };
}
