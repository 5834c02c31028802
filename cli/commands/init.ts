/**
 * `edgeway init <dir>`: scaffolds a config repository in a new or empty folder: a
 * commented edgeway.yaml that compiles, the editor JSON Schema it points at, a GitHub
 * Actions workflow that runs `edgeway deploy` on every push, and a short README.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from '../lib/command.ts';
import { CliError } from '../lib/errors.ts';
import { listSome } from '../lib/format.ts';

const root = resolve(import.meta.dirname, '../..');
const templates = join(root, 'cli', 'templates', 'init');

/** Where each scaffolded file comes from, by its path in the new repository. */
const SCAFFOLD: Readonly<Record<string, string>> = {
  'edgeway.yaml': join(templates, 'edgeway.yaml'),
  '.edgeway/edgeway.schema.json': join(root, 'schema', 'edgeway.schema.json'),
  '.github/workflows/deploy.yml': join(templates, 'deploy.yml'),
  'README.md': join(templates, 'README.md'),
};

/** What may already be in the folder: `git init` first is fine. */
const ALLOWED_ENTRIES = new Set(['.git']);

export const initCommand: Command = {
  name: 'init',
  summary: 'Scaffold a config repository in a new or empty folder.',
  description: `Writes a commented edgeway.yaml that compiles, the editor JSON Schema it points at
(.edgeway/edgeway.schema.json), a GitHub Actions workflow (.github/workflows/deploy.yml)
that runs \`npx edgeway deploy\` on every push with the EDGEWAY_URL and EDGEWAY_TOKEN
repository secrets, and a short README. Refuses a folder that has anything in it but .git.

Example:
  edgeway init my-gateway && cd my-gateway && git init && git add . && git commit -m init`,
  arguments: [{ name: 'dir', required: true, description: 'The folder to create (or an empty one).' }],
  options: {},
  async run({ positionals }) {
    const dir = positionals[0]!;
    refuseNonEmpty(dir);
    for (const [path, source] of Object.entries(SCAFFOLD)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(source, target);
    }
    console.log(`Created a config repository in ${dir}:`);
    for (const path of Object.keys(SCAFFOLD)) console.log(`  ${path}`);
    console.log(`
Next:
  cd ${dir}
  npx edgeway validate
  git init && git add . && git commit -m "Edgeway config"
  npx edgeway deploy        # or push to a GitHub repository with the two secrets set`);
    return 0;
  },
};

function refuseNonEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new CliError(`${dir} exists and is not a folder`);
  const present = readdirSync(dir).filter((entry) => !ALLOWED_ENTRIES.has(entry));
  if (present.length > 0) {
    throw new CliError(
      `${dir} is not empty (${listSome(present, 3)}); init writes only into a new or empty folder`,
    );
  }
}
