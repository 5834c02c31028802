/**
 * Analytics events as the data plane sends them, for `npm run bench:analytics`: a
 * production environment with a spread of routes, consumers, statuses and outcomes, and
 * latencies with a long tail (log-normal around 40 ms), all in the last minute, as a
 * Queue batch holds them. Seeded, so every run sends the same traffic.
 */
import type { AnalyticsEvent, Outcome } from '../../src/config/analytics-event.ts';
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../src/config/ids.ts';

const ENVIRONMENT = EnvironmentNameSchema.parse('production');
const DEPLOYMENT_ID = DeploymentIdSchema.parse('dep_01m8benchbenchbenchbenchbe');

const ROUTES = Array.from({ length: 20 }, (_, i) => `${i % 3 === 0 ? 'POST' : 'GET'} /v1/resource-${i}/:id`);
const CONSUMERS = Array.from({ length: 25 }, (_, i) => ({
  id: `con_bench${String(i).padStart(21, '0')}`,
  name: `customer-${i}`,
}));
/** Status, outcome and how often, out of 100. */
const ENDINGS: readonly { status: number; outcome: Outcome; weight: number }[] = [
  { status: 200, outcome: 'ok', weight: 80 },
  { status: 404, outcome: 'ok', weight: 8 },
  { status: 401, outcome: 'auth-rejected', weight: 5 },
  { status: 429, outcome: 'rate-limited', weight: 4 },
  { status: 502, outcome: 'upstream-error', weight: 3 },
];

/** A small deterministic generator (mulberry32), so runs are comparable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function ending(random: () => number) {
  let roll = random() * 100;
  for (const candidate of ENDINGS) {
    roll -= candidate.weight;
    if (roll < 0) return candidate;
  }
  return ENDINGS[0]!;
}

/** Log-normal: the median is `medianMs`; a sigma of 1 gives a p99 near 10x the median. */
function latency(random: () => number, medianMs: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(medianMs * Math.exp(normal));
}

export function benchEvent(random: () => number, now: number): AnalyticsEvent {
  const { status, outcome } = ending(random);
  const consumer = outcome === 'auth-rejected' ? null : pick(random, CONSUMERS);
  const total = latency(random, 40);
  const called = outcome === 'ok' || outcome === 'upstream-error';
  return {
    v: 1,
    id: crypto.randomUUID(),
    requestId: crypto.randomUUID(),
    time: now - Math.floor(random() * 60_000),
    environment: ENVIRONMENT,
    deploymentId: DEPLOYMENT_ID,
    route: pick(random, ROUTES),
    method: 'GET',
    status,
    outcome,
    errorClass: null,
    policy: outcome === 'auth-rejected' || outcome === 'rate-limited' ? 'guard' : null,
    reported: [],
    consumerId: consumer?.id ?? null,
    consumerName: consumer?.name ?? null,
    latencyMs: total,
    upstreamLatencyMs: called ? Math.max(0, total - 2) : null,
    bytesIn: 0,
    bytesOut: Math.floor(random() * 4096),
    colo: 'AMS',
  };
}
