/**
 * `npm start`: runs Edgeway locally. Starts the demo upstream and both workers with
 * state persisted in .edgeway/state, deploys examples/quickstart through the control
 * plane's API when production has nothing live yet, prints the URLs and a curl to try,
 * and stops everything on Ctrl-C. A second `npm start` keeps the first one's state.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfigFiles } from '../cli/lib/config-files.ts';
import { ApiError, ControlPlaneClient } from '../cli/lib/control-plane-client.ts';
import { type LocalStack, startLocalStack, waitUntilServing } from './lib/local-stack.ts';

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

try {
  await waitUntilServing(stack.dataUrl, await deployQuickstartOnce(stack));
} catch (error) {
  console.error(`Deploying examples/quickstart failed: ${describe(error)}`);
  await stack.stop();
  process.exit(1);
}

console.log(`
  Data plane     ${stack.dataUrl}
  Control plane  ${stack.controlUrl}   (admin token in ${join(values['persist-to'], 'admin-token')})
  Demo upstream  ${stack.upstreamUrl}
  Logs           ${stack.logDir}

Try it:

  curl -i ${stack.dataUrl}/echo/hello?from=quickstart

Deploy a change: POST a bundle to ${stack.controlUrl}/api/v1/deployments with the
admin token (README.md, "Quickstart", shows the request).

Press Ctrl-C to stop.`);

/** Returns the id of the deployment production serves. */
async function deployQuickstartOnce(stack: LocalStack): Promise<string> {
  const client = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  const production = await client.getEnvironment('production').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  if (production?.liveDeploymentId) {
    console.log(`production already serves ${production.liveDeploymentId}; keeping it.`);
    return production.liveDeploymentId;
  }
  const deployment = await client.deploy({
    environment: 'production',
    files: readConfigFiles(join(root, 'examples', 'quickstart')),
    commit: 'local',
    branch: 'main',
    author: userInfo().username,
    message: 'npm start: examples/quickstart',
  });
  console.log(`Deployed examples/quickstart to production as ${deployment.id}.`);
  return deployment.id;
}

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return (error as Error).message;
  const details = error.compileErrors.map(
    (e) => `\n  ${e.file}:${e.line}:${e.column}: ${e.path}: ${e.message}`,
  );
  return `${error.message}${details.join('')}`;
}
