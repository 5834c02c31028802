/**
 * Compiling a config folder on this machine with the control plane's own compiler, and
 * printing compile errors as `file:line:col: $.json.path: message` (the compiler's
 * format) with the file relative to the working directory, so an editor can jump to it.
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

export async function compileFolder(dir: string, environment: string): Promise<LocalCompile> {
  const files = readBundleFiles(dir);
  const { compile } = await compiler();
  return { files, result: await compile({ files, environment }) };
}

/** `dir` is the config folder the errors' files are relative to. */
export async function formatCompileErrors(errors: readonly CompileError[], dir: string): Promise<string[]> {
  const { formatCompileError } = await compiler();
  return errors.map((error) =>
    formatCompileError({ ...error, file: relative(process.cwd(), `${dir}/${error.file}`) || error.file }),
  );
}
