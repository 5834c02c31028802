/**
 * Reads a config repo folder into the `files` map a deployment bundle carries: every
 * regular file below it by its relative POSIX path, skipping dot-folders (.git, ...).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function readConfigFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && CONFIG_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) {
        files[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
      }
    }
  };
  walk(dir);
  return files;
}
