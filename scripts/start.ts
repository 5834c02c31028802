/**
 * `npm start`: runs Edgeway locally. Starts the demo upstream and both workers with
 * state persisted in .edgeway/state, sets up a Git remote that deploys on push, seeded
 * with examples/quickstart (scripts/lib/quickstart-remote.ts), deploys its main branch
 * through the hook's own code when production has nothing live yet, makes a local owner
 * who can sign in to the dashboard (scripts/lib/local-owner.ts), prints the URLs, the
 * owner's email and password, a curl to try and how to push a change, and stops
 * everything on Ctrl-C. A second `npm start` keeps the first one's state, remote and owner.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, ControlPlaneClient } from '../cli/lib/control-plane-client.ts';
import { shellQuote } from '../cli/lib/format.ts';
import { reportFailure } from '../cli/lib/report.ts';
import { deployBranch } from '../cli/remote/receive.ts';
import {
  type EnvironmentSettings,
  environmentUrl,
} from '../control-plane/src/deploy/environment-settings.ts';
import { PRODUCTION_ENVIRONMENT } from '../src/config/branches.ts';
import { ensureLocalOwner, type LocalOwner } from './lib/local-owner.ts';
import { type LocalStack, startLocalStack, waitUntilServing } from './lib/local-stack.ts';
import { QUICKSTART_BRANCH, setUpQuickstartRemote } from './lib/quickstart-remote.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    'data-port': { type: 'string', default: '8787' },
    'control-port': { type: 'string', default: '8788' },
    'upstream-port': { type: 'string', default: '8789' },
    'persist-to': { type: 'string', default: join(root, '.edgeway', 'state') },
  },
});

console.log('Starting Edgeway (demo upstream, data plane, control plane)...');
let stack: LocalStack;
try {
  stack = await startLocalStack({
    root,
    persistTo: resolve(values['persist-to']),
    dataPort: Number(values['data-port']),
    controlPort: Number(values['control-port']),
    upstreamPort: Number(values['upstream-port']),
  });
} catch (error) {
  console.error(`Could not start: ${(error as Error).message}`);
  process.exit(1);
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const client = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
let remote: string;
let settings: EnvironmentSettings;
let owner: LocalOwner;
try {
  owner = await ensureLocalOwner(client, resolve(values['persist-to']));
  remote = setUpQuickstartRemote(root, resolve(values['persist-to']), {
    url: stack.controlUrl,
    token: stack.adminToken,
  });
  await waitUntilServing(stack.dataUrl, await deployQuickstartOnce(client, remote));
  settings = await client.getSettings();
} catch (error) {
  console.error('Setting up the local owner or deploying examples/quickstart failed:');
  reportFailure(error);
  await stack.stop();
  process.exit(1);
}

console.log(`
  Data plane     ${stack.dataUrl}
  Control plane  ${stack.controlUrl}   (admin token in ${join(values['persist-to'], 'admin-token')})
  Dashboard      ${stack.controlUrl}/auth/login
                 sign in as ${owner.email}, password ${owner.password}
                 (kept in ${owner.passwordFile})
  Demo upstream  ${stack.upstreamUrl}
  Git remote     ${remote}   (every push deploys)
  Logs           ${stack.logDir}

Try it:

  curl -i ${stack.dataUrl}/echo/hello?from=quickstart

Deploy a change by pushing it:

  git clone ${shellQuote(remote)} my-gateway && cd my-gateway
  (edit edgeway.yaml)
  git commit -am "Try a change" && git push

The push prints the deployment id and URL, or each config error as file:line:col.
Branch ${QUICKSTART_BRANCH} deploys to production at ${environmentUrl(settings, PRODUCTION_ENVIRONMENT)}; any other branch to a
preview of its own at ${environmentUrl(settings, '<branch-slug>')} (git push origin HEAD:my-branch),
which \`git push origin --delete my-branch\` deletes again.

Press Ctrl-C to stop.`);

/** Returns the id of the deployment production serves. */
async function deployQuickstartOnce(client: ControlPlaneClient, remote: string): Promise<string> {
  const production = await client.getEnvironment('production').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  if (production?.liveDeploymentId) {
    console.log(`production already serves ${production.liveDeploymentId}; keeping it.`);
    return production.liveDeploymentId;
  }
  const deployment = await deployBranch(client, remote, QUICKSTART_BRANCH, QUICKSTART_BRANCH);
  return deployment.id;
}
