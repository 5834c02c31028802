/**
 * Target (a): the demo upstream, called directly. It runs in its own Node process so it
 * never shares the benchmark's event loop with the load generator or the sequential client.
 */
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.ts';
import { startChild, waitUntilServing } from './children.ts';

export const UPSTREAM_NAME = 'bench';

export async function startUpstream(root: string): Promise<string> {
  const port = await freePort();
  const script = join(root, 'examples', 'demo-upstream', 'server.ts');
  const child = startChild(process.execPath, [script, '--port', String(port), '--name', UPSTREAM_NAME], root);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(child, url, 'demo upstream');
  return url;
}
