/**
 * Picks the config file out of the files at a commit: `edgeway.yaml` or `edgeway.json`
 * at the root, exactly one of them.
 */
import type { CompileError } from './errors.ts';
import { BOTH_CONFIG_FILES, NO_CONFIG_FILE } from './messages.ts';

const YAML_FILE = 'edgeway.yaml';
const JSON_FILE = 'edgeway.json';

export type ConfigFile =
  | { readonly ok: true; readonly file: string; readonly text: string }
  | { readonly ok: false; readonly error: CompileError };

export function findConfigFile(files: Readonly<Record<string, string>>): ConfigFile {
  const present = [YAML_FILE, JSON_FILE].filter((file) => Object.hasOwn(files, file));
  const [file] = present;
  if (present.length > 1) return { ok: false, error: fileError(JSON_FILE, BOTH_CONFIG_FILES) };
  if (file === undefined) return { ok: false, error: fileError(YAML_FILE, NO_CONFIG_FILE) };
  return { ok: true, file, text: files[file]! };
}

function fileError(file: string, message: string): CompileError {
  return { file, line: 1, column: 1, path: '$', message };
}
