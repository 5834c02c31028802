/**
 * The CLI's expected failures. A command throws CliError (exit 1: the operation failed)
 * or UsageError (exit 2: the command line or the connection settings are wrong); the
 * entry point prints the message and exits with the code. Anything else is a bug.
 */

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly exitCode: number = EXIT_FAILED;
  /** Lines printed after the message, e.g. compile errors as file:line:col. */
  readonly details: readonly string[];
  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

export class UsageError extends CliError {
  override readonly exitCode: number = EXIT_USAGE;
}
