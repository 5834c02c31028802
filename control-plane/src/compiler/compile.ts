/**
 * The compiler: the files of a config repo at one commit, plus a target environment, to
 * a compiled config and its content hash, with vars set outside Git taking precedence.
 * It never throws on bad input; it returns every error it can find, sorted by file, line
 * and column. A config that compiles may carry
 * warnings in the same shape (an upstream or policy no route uses); they never fail it.
 */
import { canonicalJson, contentHash } from '../../../src/config/canonical.ts';
import type { CompiledConfig } from '../../../src/config/compiled.ts';
import { checkConfig } from './check-config.ts';
import { findConfigFile } from './config-file.ts';
import { emitConfig } from './emit.ts';
import { type CompileError, errorAt, sortCompileErrors } from './errors.ts';
import { syntaxError } from './messages.ts';
import { parseSourceDocument } from './source-document.ts';

export interface CompileInput {
  /** Repository-relative path to file text, e.g. `{ 'edgeway.yaml': '...' }`. */
  readonly files: Readonly<Record<string, string>>;
  readonly environment: string;
  /** Values set for the environment outside Git (the API's vars); they override the config's. */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * The environment's secrets by name, so references are checked against their values;
   * undefined where the values are not known (local validation), which checks names only
   * as far as the syntax goes.
   */
  readonly secrets?: ReadonlyMap<string, string>;
}

export type CompileResult =
  | {
      readonly ok: true;
      readonly config: CompiledConfig;
      readonly hash: string;
      readonly warnings: readonly CompileError[];
      /** The secrets the config uses, which the deployment must carry sealed. */
      readonly secrets: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

export async function compile(input: CompileInput): Promise<CompileResult> {
  const configFile = findConfigFile(input.files);
  if (!configFile.ok) return { ok: false, errors: [configFile.error] };

  const { document, problems } = parseSourceDocument(configFile.file, configFile.text);
  // After a syntax error the tree is a guess; checking it would report phantom errors.
  if (problems.length > 0) {
    const errors = problems.map(({ code, message, path, position }) =>
      errorAt(document, path, syntaxError(code, message, path.at(-1)), position),
    );
    return { ok: false, errors: sortCompileErrors(errors) };
  }

  const checked = checkConfig(document, input);
  if (!checked.ok) return { ok: false, errors: sortCompileErrors(checked.errors) };

  const config = emitConfig(checked.source, checked.routes, input.environment, checked.secretTemplates);
  const hash = await contentHash(canonicalJson(config));
  const secrets = [...new Set([...checked.secretTemplates.values()].flatMap((template) => template.secrets))];
  return { ok: true, config, hash, warnings: sortCompileErrors(checked.warnings), secrets: secrets.sort() };
}
