/**
 * A PolicyContext for calling a policy directly, as the pipeline would for one request:
 * a fresh data map, captured log lines and a clock the test moves, which several requests
 * can share. For tests of one policy's behaviour in detail; the harness (harness.ts) runs
 * policies through the whole gateway.
 */
import type { CompiledRoute } from '../../../src/config/compiled.ts';
import { type PolicyContext, RequestData } from '../../../src/policies/contract.ts';
import type { LogLine } from './harness.ts';

export class TestClock {
  #now: number;
  /** `start` is the first reading, in ms since the epoch. */
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface TestPolicyContext extends PolicyContext {
  readonly logs: LogLine[];
}

export const TEST_REQUEST_ID = 'test-request';

export function policyContext(clock = new TestClock()): TestPolicyContext {
  const logs: LogLine[] = [];
  const capture =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  return {
    requestId: TEST_REQUEST_ID,
    route: { id: 'test-route' } as CompiledRoute,
    params: {},
    env: {},
    data: new RequestData(),
    log: { info: capture('info'), warn: capture('warn'), error: capture('error') },
    logs,
    now: () => clock.now(),
    waitUntil() {},
  };
}
