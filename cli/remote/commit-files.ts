/**
 * The bundle of one commit, read from a repository's objects rather than a working tree
 * (a bare repository has none): the config files `edgeway deploy` would upload from a
 * checkout of that commit.
 */
import { bundleFiles } from '../lib/config-files.ts';
import { git } from '../lib/git.ts';

/** `<mode> <type> <object>\t<path>`; symbolic links (120000) and submodules are not files. */
const FILE_ENTRY = /^(?:100644|100755) blob ([0-9a-f]+)\t(.+)$/s;

export function readCommitFiles(repo: string, commit: string): Record<string, string> {
  const objects = new Map<string, string>();
  for (const entry of git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]).split('\0')) {
    const match = FILE_ENTRY.exec(entry);
    if (match) objects.set(match[2]!, match[1]!);
  }
  return bundleFiles([...objects.keys()], (path) => git(repo, ['cat-file', 'blob', objects.get(path)!]));
}
