/**
 * Compiling a config folder on this machine with the control plane's own compiler, and
 * printing compile errors as `file:line:col: $.json.path: message` (the compiler's
 * format; warnings as `file:line:col: warning: $.json.path: message`, to stderr) with the
 * file relative to the working directory, so an editor can jump to it.
 * The compiler is imported on first use: loading it is most of the CLI's start-up time,
 * and only validate and deploy need it.
 */
import { relative } from 'node:path';
import type { CompileError, CompileResult } from '../../control-plane/src/compiler/index.ts';
import { readBundleFiles } from './config-files.ts';

export interface LocalCompile {
  /** The bundle: what a deploy uploads. */
  readonly files: Readonly<Record<string, string>>;
  readonly result: CompileResult;
}

const compiler = () => import('../../control-plane/src/compiler/index.ts');

/** `vars` are the environment's values set through the API; they override the config's. */
export async function compileFolder(
  dir: string,
  environment: string,
  vars?: Readonly<Record<string, string>>,
): Promise<LocalCompile> {
  const files = readBundleFiles(dir);
  const { compile } = await compiler();
  return { files, result: await compile({ files, environment, ...(vars ? { vars } : {}) }) };
}

/** `dir` is the config folder the errors' files are relative to. */
export async function formatCompileErrors(
  errors: readonly CompileError[],
  dir: string,
  severity: 'error' | 'warning' = 'error',
): Promise<string[]> {
  const { formatCompileError, formatCompileWarning } = await compiler();
  const format = severity === 'error' ? formatCompileError : formatCompileWarning;
  return errors.map((error) =>
    format({ ...error, file: relative(process.cwd(), `${dir}/${error.file}`) || error.file }),
  );
}

/** Warnings never fail a compile; they go to stderr so stdout stays the result. */
export async function printCompileWarnings(result: CompileResult, dir: string): Promise<void> {
  if (!result.ok) return;
  for (const line of await formatCompileErrors(result.warnings, dir, 'warning')) console.error(line);
}
