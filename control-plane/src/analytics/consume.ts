/**
 * The `edgeway-analytics` Queue consumer: checks each message is an event this build
 * reads (src/config/analytics-event.ts), folds the batch's events into D1 in one atomic
 * batch (store/analytics-ingest.ts), then acknowledges them. When D1 fails, the events
 * are retried (up to max_retries in control-plane/wrangler.toml, then the dead-letter
 * queue); the fold counts each event once however often it is delivered. A message that
 * is not a readable event is dropped with a log line: retrying cannot fix it.
 */
import { type AnalyticsEvent, parseAnalyticsEvent } from '../../../src/config/analytics-event.ts';
import { logLine } from '../log.ts';
import { foldEvents } from '../store/analytics-ingest.ts';

export async function consumeAnalytics(
  batch: MessageBatch<unknown>,
  db: D1Database,
  now: number,
): Promise<void> {
  const events: AnalyticsEvent[] = [];
  const readable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const parsed = parseAnalyticsEvent(message.body);
    if (parsed.ok) {
      events.push(parsed.value);
      readable.push(message);
    } else {
      logLine('warn', 'analytics message dropped', {
        queue: batch.queue,
        messageId: message.id,
        ...parsed.error,
      });
      message.ack();
    }
  }
  try {
    await foldEvents(db, events, now);
  } catch (error) {
    logLine('error', 'analytics batch not counted; retrying it', {
      queue: batch.queue,
      events: events.length,
      error: String(error),
    });
    for (const message of readable) message.retry();
    return;
  }
  for (const message of readable) message.ack();
}
