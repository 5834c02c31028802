/**
 * A gateway (harness.ts) with one route, `/guarded/*`, that proxies to the echo upstream
 * behind one enforcing policy: how a policy's tests check it through the whole pipeline
 * (registration, problem+json with the request id, what the upstream receives).
 */
import { proxyTo } from './deployments.ts';
import { createHarness, type Harness } from './harness.ts';

export async function gatewayGuardedBy(type: string, options: unknown): Promise<Harness> {
  const gw = createHarness();
  await gw.deploy([{ path: '/guarded/*', inbound: ['guard'], handler: proxyTo('echo') }], {
    policies: { guard: { type, mode: 'enforce', options } },
  });
  return gw;
}
