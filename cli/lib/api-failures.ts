/**
 * Turns a failed call to the control plane into one readable line (and detail lines): a
 * control plane that is not answering, a refused token, or the API's problem+json.
 */
import { ApiError, UnreachableError } from './control-plane-client.ts';
import { CliError } from './errors.ts';

const WHERE_URL = '--url, EDGEWAY_URL or the config file';
const WHERE_TOKEN = '--token, EDGEWAY_TOKEN or the config file';

/** A CliError for the API failures; undefined for anything else. */
export function apiFailure(error: unknown): CliError | undefined {
  if (error instanceof UnreachableError) {
    return new CliError(
      `the control plane at ${error.baseUrl} is not answering (${error.message}); check ${WHERE_URL}, and that it is running`,
    );
  }
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 401) {
    return new CliError(
      `the control plane at ${error.baseUrl} refused the token: ${error.message} Check ${WHERE_TOKEN}.`,
    );
  }
  const title = typeof error.problem.title === 'string' ? error.problem.title : `HTTP ${error.status}`;
  const requestId =
    error.status >= 500 && error.problem.requestId ? ` (request id ${error.problem.requestId})` : '';
  return new CliError(`${title} (${error.status}): ${error.message}${requestId}`, problemDetails(error));
}

/**
 * An invalid request's `errors`: where in the request (`json /files`) and what is wrong.
 * (Compile errors come only from a deploy, which prints them itself.)
 */
function problemDetails(error: ApiError): string[] {
  if (!Array.isArray(error.problem.errors)) return [];
  return error.problem.errors.map(
    (entry: { in?: string; path?: string; message?: string }) =>
      [entry.in, entry.path].filter(Boolean).join(' ') + (entry.message ? `: ${entry.message}` : ''),
  );
}
