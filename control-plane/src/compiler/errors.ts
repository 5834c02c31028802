/**
 * Compile errors: what the control plane stores for a failed deployment and the CLI
 * prints. Each names a file, a 1-based line and column, a JSON path and a message that
 * says what was expected.
 */
import { formatJsonPath, type JsonPath } from './json-path.ts';
import type { Focus, Position, SourceDocument } from './source-document.ts';

export interface CompileError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

/** `edgeway.yaml:12:5: $.routes[0].upstream: unknown upstream "dmo"; expected one of: demo` */
export function formatCompileError(error: CompileError): string {
  return formatLocated(error, '');
}

/** `edgeway.yaml:4:3: warning: $.upstreams.spare: upstream "spare" is not used by any route; ...` */
export function formatCompileWarning(warning: CompileError): string {
  return formatLocated(warning, 'warning: ');
}

function formatLocated(error: CompileError, label: string): string {
  return `${error.file}:${error.line}:${error.column}: ${label}${error.path}: ${error.message}`;
}

export function errorAt(
  document: SourceDocument,
  path: JsonPath,
  message: string,
  at: Focus | Position = 'value',
): CompileError {
  const { line, column } = typeof at === 'string' ? document.locate(path, at) : at;
  return { file: document.file, line, column, path: formatJsonPath(path), message };
}

/** By file, line and column; path and message only break ties, so the order is total. */
export function sortCompileErrors(errors: readonly CompileError[]): CompileError[] {
  return [...errors].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.path, b.path) ||
      compareText(a.message, b.message),
  );
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
