/**
 * Shared by the compiler's table-driven tests: a config is written as an array of lines,
 * so the line numbers a case expects can be read off the array (index + 1).
 */
import { compile, formatCompileError } from './index.ts';

export interface BadConfig {
  readonly name: string;
  /** edgeway.yaml, one string per line. */
  readonly yaml?: readonly string[];
  /** The files of the commit, when the case is about file names or JSON. */
  readonly files?: Readonly<Record<string, string>>;
  readonly environment?: string;
  /** Every expected error as `file:line:column: path: message`, in order. */
  readonly errors: readonly string[];
}

export function lines(text: readonly string[]): string {
  return `${text.join('\n')}\n`;
}

/** The formatted errors of a compile; a compile that succeeds yields none. */
export async function compileErrors(config: BadConfig): Promise<string[]> {
  const files = config.files ?? { 'edgeway.yaml': lines(config.yaml ?? []) };
  const result = await compile({ files, environment: config.environment ?? 'production' });
  return result.ok ? [] : result.errors.map(formatCompileError);
}
