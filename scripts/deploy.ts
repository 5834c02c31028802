/**
 * `npm run deploy`: deploys both workers to the Cloudflare account wrangler is logged in
 * to. It refuses to run while the wrangler.toml files still carry the local placeholder
 * resource ids, then applies the control plane's D1 migrations and deploys the control
 * plane and the data plane. README.md "Deploy to Cloudflare" lists the steps before it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const PLACEHOLDER = /"0{8}[-0-9a-z]*"/;
const configs = ['wrangler.toml', 'control-plane/wrangler.toml'];

const unconfigured = configs.filter((config) => PLACEHOLDER.test(readFileSync(join(root, config), 'utf8')));
if (unconfigured.length > 0) {
  console.error(
    `These files still carry the local placeholder KV/D1 ids: ${unconfigured.join(', ')}.\n` +
      'Create the resources (see README.md, "Deploy to Cloudflare") and put their ids there first.',
  );
  process.exit(1);
}

const steps: string[][] = [
  ['d1', 'migrations', 'apply', 'edgeway', '--remote', '-c', 'control-plane/wrangler.toml'],
  ['deploy', '-c', 'control-plane/wrangler.toml'],
  ['deploy', '-c', 'wrangler.toml'],
];
for (const args of steps) {
  console.log(`\n> wrangler ${args.join(' ')}`);
  const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`wrangler ${args[0]} failed (exit ${result.status}); nothing after it ran.`);
    process.exit(result.status ?? 1);
  }
}
