/**
 * The files a push deploys are those `edgeway deploy` would upload from a checkout of the
 * pushed commit: config files only, none in dot-folders or node_modules, no symbolic
 * links, read from the repository's objects (a bare repository has no working tree).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readBundleFiles } from '../../cli/lib/config-files.ts';
import { readCommitFiles } from '../../cli/remote/commit-files.ts';
import { commitAll, createGitRepo, git } from '../support/git-repos.ts';

it("reads a commit's config files from a bare repository as deploy reads a checkout", () => {
  const repo = createGitRepo({
    'edgeway.yaml': 'version: 1\n# ünïcode\n',
    'openapi/users.json': '{"openapi": "3.1.0"}',
    'gateway config/extra.yml': 'a: 1\n',
    'README.md': '# not config\n',
    '.github/workflows/deploy.yml': 'on: push\n',
    '.edgeway/edgeway.schema.json': '{}',
    'node_modules/x/package.json': '{}',
    '.hidden.yaml': 'x: 1\n',
  });
  symlinkSync('edgeway.yaml', join(repo, 'link.yaml'));
  const sha = commitAll(repo, 'With a link');
  const bare = `${repo}.git`;
  git(repo, ['clone', '--quiet', '--bare', repo, bare]);

  const files = readCommitFiles(bare, sha);
  expect(Object.keys(files)).toEqual(['edgeway.yaml', 'gateway config/extra.yml', 'openapi/users.json']);
  expect(files['edgeway.yaml']).toBe('version: 1\n# ünïcode\n');
  // A checkout reads the link's target; a commit has no file there.
  const { 'link.yaml': _link, ...checkout } = readBundleFiles(repo);
  expect(files).toEqual(checkout);
});
