/**
 * The isolate's analytics batching, over a recording wrapper of the test runtime's real
 * ANALYTICS producer: events emitted together go out as one sendBatch when the batch's
 * timer fires, under the waitUntil of the request that started the batch; a full batch
 * goes out at once, under the waitUntil of the request that filled it; and a failed send
 * is logged, not thrown.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/analytics-events.ts';
import type { AnalyticsEvent } from '../config/analytics-event.ts';
import type { Logger } from '../policies/contract.ts';
import { type AnalyticsQueue, createAnalyticsEmitter, MAX_BATCH } from './emitter.ts';

const FLUSH_AFTER_MS = 20;

const event = () => sampleEvent();

/** Each sendBatch's events, sent on to the real binding unless `fail`. */
function recordingQueue(fail = false) {
  const batches: AnalyticsEvent[][] = [];
  const queue: AnalyticsQueue = {
    async sendBatch(messages) {
      batches.push(messages.map((message) => message.body));
      if (fail) throw new Error('queue unavailable');
      await env.ANALYTICS.sendBatch(messages);
    },
  };
  return { batches, queue };
}

/** What the requests handed waitUntil, per request. */
function requests(count: number) {
  return Array.from({ length: count }, () => {
    const waited: Promise<unknown>[] = [];
    return { waited, waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
  });
}

const quiet: Logger = { info() {}, warn() {}, error() {} };

describe('analytics batching', () => {
  it('sends the events of one moment as one batch once its timer fires', async () => {
    const { batches, queue } = recordingQueue();
    const emit = createAnalyticsEmitter(queue, quiet, FLUSH_AFTER_MS)!;
    const events = [event(), event(), event()];
    const calls = requests(3);
    for (const [i, each] of events.entries()) emit(each, calls[i]!.waitUntil);
    expect(batches).toEqual([]);
    // The first request keeps the isolate alive for the batch; the others only join it.
    expect(calls.map((call) => call.waited.length)).toEqual([1, 0, 0]);
    await Promise.all(calls[0]!.waited);
    expect(batches).toEqual([events]);
  });

  it('sends a full batch at once, and the next event in a batch of its own', async () => {
    const { batches, queue } = recordingQueue();
    const emit = createAnalyticsEmitter(queue, quiet, 1_000)!;
    const events = Array.from({ length: MAX_BATCH + 1 }, event);
    const calls = requests(events.length);
    for (const [i, each] of events.slice(0, MAX_BATCH).entries()) emit(each, calls[i]!.waitUntil);
    // The request that filled the batch waits for its send, not for the timer.
    await Promise.all(calls[MAX_BATCH - 1]!.waited);
    expect(batches).toEqual([events.slice(0, MAX_BATCH)]);
    emit(events[MAX_BATCH]!, calls[MAX_BATCH]!.waitUntil);
    await Promise.all(calls[MAX_BATCH]!.waited);
    expect(batches).toEqual([events.slice(0, MAX_BATCH), [events[MAX_BATCH]]]);
  });

  it('logs a batch it could not send', async () => {
    const { batches, queue } = recordingQueue(true);
    const warnings: Record<string, unknown>[] = [];
    const emit = createAnalyticsEmitter(
      queue,
      { ...quiet, warn: (_, fields = {}) => warnings.push(fields) },
      1,
    )!;
    const [call] = requests(1);
    emit(event(), call!.waitUntil);
    await Promise.all(call!.waited);
    expect(batches).toHaveLength(1);
    expect(warnings).toEqual([{ events: 1, error: 'Error: queue unavailable' }]);
  });

  it('sends nothing without a Queue', () => {
    expect(createAnalyticsEmitter(undefined, quiet)).toBeUndefined();
  });
});
