/**
 * Target (b): the bare proxy worker (bench/workers/bare-proxy.js) under `workerd serve`,
 * in its own workerd process, run exactly the way the gateway is.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.ts';
import {
  type Compatibility,
  capnpConfig,
  esModule,
  httpSocket,
  localNetworkService,
  serveWorkerd,
  textBinding,
  workerService,
} from './workerd.ts';

export interface BareProxyOptions {
  readonly workDir: string;
  readonly upstreamUrl: string;
  /** The gateway's, so both workers run on the same runtime behaviour. */
  readonly compatibility: Compatibility;
}

/** Starts the bare proxy and returns its origin. */
export async function startBareProxy(options: BareProxyOptions): Promise<string> {
  const dir = join(options.workDir, 'bare-proxy');
  await mkdir(dir, { recursive: true });
  await copyFile(join(import.meta.dirname, '..', 'workers', 'bare-proxy.js'), join(dir, 'bare-proxy.js'));
  const port = await freePort();
  const proxy = workerService('bare-proxy', {
    modules: [esModule('bare-proxy.js')],
    ...options.compatibility,
    bindings: [textBinding('UPSTREAM', options.upstreamUrl)],
    globalOutbound: 'loopback',
  });
  const config = capnpConfig(
    [proxy, localNetworkService('loopback')],
    [httpSocket('http', port, 'bare-proxy')],
  );
  const origin = `http://127.0.0.1:${port}`;
  await serveWorkerd(dir, config, 'bare proxy (workerd)', origin);
  return origin;
}
