/**
 * Sends analytics events to the `edgeway-analytics` Queue without delaying a response,
 * batched per isolate: the first event of a batch starts a timer, and the batch is sent
 * with sendBatch when the timer fires (within `flushAfterMs`, 1 s by default) or as soon
 * as it holds MAX_BATCH events, whichever comes first. One Queue call per batch instead
 * of one per request keeps the hot path lean (bench/run.ts measures it).
 *
 * Nothing is lost while the isolate lives: the request whose event started a batch keeps
 * itself alive (waitUntil) until the batch's timer has fired and the batch is sent, and a
 * batch sent early is sent under the waitUntil of the request that filled it; the other
 * requests only add their event. A failed send is logged and dropped: traffic never
 * depends on the Queue. Without the ANALYTICS binding (a bench or test config that
 * leaves it out) nothing is sent. Messages are JSON (docs/storage.md).
 */
import type { AnalyticsEvent } from '../config/analytics-event.ts';
import type { Logger } from '../policies/contract.ts';

/** Queues takes at most 100 messages (and 256 KB) per sendBatch; an event is under 2 KB. */
export const MAX_BATCH = 100;
const DEFAULT_FLUSH_AFTER_MS = 1_000;

/** The producer side of the Queue: the ANALYTICS binding, or a test's wrapper of it. */
export interface AnalyticsQueue {
  sendBatch(messages: readonly { body: AnalyticsEvent; contentType: 'json' }[]): Promise<unknown>;
}

export type EmitEvent = (event: AnalyticsEvent, waitUntil: (promise: Promise<unknown>) => void) => void;

interface Batch {
  readonly events: AnalyticsEvent[];
  /** Settles once the batch's timer has fired and the batch is sent (or was sent when full). */
  readonly timed: Promise<void>;
  sent: boolean;
}

export function createAnalyticsEmitter(
  queue: AnalyticsQueue | undefined,
  log: Logger,
  flushAfterMs = DEFAULT_FLUSH_AFTER_MS,
): EmitEvent | undefined {
  if (!queue) return undefined;
  const producer = queue;
  let open: Batch | undefined;

  async function send(batch: Batch): Promise<void> {
    if (batch.sent) return;
    batch.sent = true;
    if (open === batch) open = undefined;
    try {
      await producer.sendBatch(batch.events.map((body) => ({ body, contentType: 'json' })));
    } catch (error) {
      log.warn('analytics events not sent', { events: batch.events.length, error: String(error) });
    }
  }

  function startBatch(): Batch {
    const batch: Batch = {
      events: [],
      sent: false,
      timed: new Promise<void>((resolve) => setTimeout(resolve, flushAfterMs)).then(() => send(batch)),
    };
    return batch;
  }

  return function emit(event, waitUntil) {
    let batch = open;
    if (!batch) {
      batch = open = startBatch();
      waitUntil(batch.timed);
    }
    batch.events.push(event);
    if (batch.events.length >= MAX_BATCH) waitUntil(send(batch));
  };
}
