/**
 * How the CLI reports a failure on stderr: an expected one (a CliError, or a failed call
 * to the control plane) as one `edgeway: ...` line and its detail lines, anything else as
 * a bug with its stack. Returns the exit code. The entry point and the Git push hook,
 * which reports each branch's failure and goes on with the next, both print through it.
 */
import { apiFailure } from './api-failures.ts';
import { CliError, EXIT_FAILED, UsageError } from './errors.ts';

/** `command` names the command whose --help a usage error points to. */
export function reportFailure(error: unknown, command?: string): number {
  const failure = error instanceof CliError ? error : apiFailure(error);
  if (failure === undefined) {
    console.error(`edgeway: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT_FAILED;
  }
  console.error(`edgeway: ${failure.message}`);
  for (const line of failure.details) console.error(line);
  if (failure instanceof UsageError) {
    console.error(`Run "edgeway ${command ? `${command} ` : ''}--help" for usage.`);
  }
  return failure.exitCode;
}
