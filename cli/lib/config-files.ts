/**
 * Reads a config repo folder into the `files` map a deployment bundle carries: config
 * files (.yaml, .yml, .json) by their relative POSIX path, skipping dot-folders (.git,
 * .edgeway, ...) and node_modules. In a Git work tree the files are those Git tracks or
 * would track, so ignored files never deploy; elsewhere every such file below the folder.
 * `bundleFiles` applies the same choice to any list of paths, such as a commit's tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CliError } from './errors.ts';
import { isInsideWorkTree, listGitFiles } from './git.ts';

const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json'];
const SKIPPED_FOLDERS = new Set(['node_modules']);

/** Every config file below `dir`, walking the file system (no Git). */
export function readConfigFiles(dir: string): Record<string, string> {
  const paths: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory() && !isSkippedSegment(entry.name)) walk(path);
      else if (entry.isFile()) paths.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return readFiles(dir, paths);
}

/** The bundle for `dir`: Git's view of it inside a work tree, the file system's outside. */
export function readBundleFiles(dir: string): Record<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder`);
  if (!isInsideWorkTree(dir)) return readConfigFiles(dir);
  // A tracked file deleted from the working tree is listed by Git but not deployed.
  return readFiles(
    dir,
    listGitFiles(dir).filter((path) => existsSync(join(dir, path))),
  );
}

function readFiles(dir: string, paths: readonly string[]): Record<string, string> {
  return bundleFiles(paths, (path) => readFileSync(join(dir, path), 'utf8'));
}

/** The config files among `paths` (relative, `/`-separated), in path order, with their text. */
export function bundleFiles(
  paths: readonly string[],
  read: (path: string) => string,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of [...paths].sort()) {
    if (isBundlePath(path)) files[path] = read(path);
  }
  return files;
}

/** A config file outside dot-folders and node_modules, and not itself a dot-file. */
function isBundlePath(path: string): boolean {
  const segments = path.split('/');
  if (segments.slice(0, -1).some(isSkippedSegment) || segments.at(-1)!.startsWith('.')) return false;
  return CONFIG_EXTENSIONS.some((extension) => path.endsWith(extension));
}

function isSkippedSegment(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}
