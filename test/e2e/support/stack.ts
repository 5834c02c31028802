/**
 * The local stack an end-to-end file runs against: both workers and the demo upstream on
 * free ports, persisting to a temporary folder that `stop` removes; and a deploy of one
 * edgeway.yaml to production through the API, as a push to main would make it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ControlPlaneClient } from '../../../cli/lib/control-plane-client.ts';
import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../../scripts/lib/local-stack.ts';
import { freePort } from '../../../scripts/lib/ports.ts';

type StackSettings = Omit<
  LocalStackOptions,
  'root' | 'persistTo' | 'dataPort' | 'controlPort' | 'upstreamPort'
>;

export async function startTestStack(label: string, settings: StackSettings = {}): Promise<LocalStack> {
  const persistTo = mkdtempSync(join(tmpdir(), `edgeway-e2e-${label}-`));
  const stack = await startLocalStack({
    root: resolve(import.meta.dirname, '../../..'),
    persistTo,
    dataPort: await freePort(),
    controlPort: await freePort(),
    upstreamPort: await freePort(),
    ...settings,
  });
  return {
    ...stack,
    async stop() {
      await stack.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** Deploys `yaml` to production; resolves to the deployment id. */
export async function deployToProduction(stack: LocalStack, yaml: string, message: string): Promise<string> {
  const api = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  const deployed = await api.deploy({
    environment: 'production',
    files: { 'edgeway.yaml': yaml },
    commit: 'e2e',
    branch: 'main',
    author: 'e2e <e2e@example.com>',
    message,
  });
  return deployed.id;
}
