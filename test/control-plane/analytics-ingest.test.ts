/**
 * The analytics Queue consumer over real D1: events delivered as Queue batches (to the
 * worker's queue() handler, and once through the real Queue) land in minute and hour
 * rollups with their latency histograms and in the recent-request log; a batch that D1
 * fails midway is retried and, however often it is retried or redelivered, counted once;
 * messages this build cannot read are dropped, not retried; the cron trigger applies
 * the retention.
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { BUCKET_COUNT, bucketOf } from '../../control-plane/src/analytics/latency-buckets.ts';
import worker from '../../control-plane/src/index.ts';
import { sampleEvent } from '../support/analytics-events.ts';
import {
  countedRequests,
  deliver,
  failingMidBatch,
  messagesOf,
  recentIds,
  rollupRows,
} from './analytics-support.ts';
import { uniqueEnvironment } from './support.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** 10:00:00 UTC on a fixed day, so minute and hour boundaries are known. */
const TEN = Date.UTC(2026, 10, 20, 10);

const lat = (bucket: number) => `lat_${String(bucket).padStart(2, '0')}` as const;

describe('folding events into rollups', () => {
  it('counts each event in its minute row and its hour row, with sizes, latencies and a histogram', async () => {
    const environment = uniqueEnvironment('fold');
    const at = (offset: number, fields = {}) => sampleEvent({ environment, time: TEN + offset, ...fields });
    const events = [
      at(1_000, { latencyMs: 3, upstreamLatencyMs: 2, bytesIn: 10, bytesOut: 100 }),
      at(2_000, { latencyMs: 40, upstreamLatencyMs: 35, bytesIn: null, bytesOut: 50 }),
      at(MINUTE + 5, { latencyMs: 41, upstreamLatencyMs: null, reported: ['shadow-limit'] }),
      at(MINUTE + 6, { status: 401, outcome: 'auth-rejected', policy: 'keys', upstreamLatencyMs: null }),
      at(2 * MINUTE, { consumerId: 'con_1', consumerName: 'acme', status: 429, outcome: 'rate-limited' }),
    ];
    const result = await deliver(messagesOf(events));
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(events.length);

    const rows = await rollupRows(environment);
    const minutes = rows.filter((row) => row.period_ms === MINUTE);
    expect(
      minutes.map((row) => [row.start - TEN, row.status, row.consumer_id, row.outcome, row.requests]),
    ).toEqual([
      [0, 200, '', 'ok', 2],
      [MINUTE, 200, '', 'ok', 1],
      [MINUTE, 401, '', 'auth-rejected', 1],
      [2 * MINUTE, 429, 'con_1', 'rate-limited', 1],
    ]);
    expect(minutes[0]).toMatchObject({
      route: 'GET /users/:id',
      bytes_in: 10,
      bytes_out: 150,
      latency_sum_ms: 43,
      latency_max_ms: 40,
      upstream_requests: 2,
      upstream_sum_ms: 37,
      reported: 0,
      [lat(bucketOf(3))]: 1,
      [lat(bucketOf(40))]: 1,
    });
    expect(minutes[1]).toMatchObject({ reported: 1, upstream_requests: 0, [lat(bucketOf(41))]: 1 });
    expect(minutes[3]).toMatchObject({ consumer_name: 'acme' });

    const hours = rows.filter((row) => row.period_ms === HOUR);
    expect(hours.map((row) => [row.start, row.status, row.requests])).toEqual([
      [TEN, 200, 3],
      [TEN, 401, 1],
      [TEN, 429, 1],
    ]);
    expect(hours[0]).toMatchObject({ latency_sum_ms: 84, latency_max_ms: 41, [lat(bucketOf(40))]: 2 });
    expect(await recentIds(environment)).toEqual(events.map((event) => event.id).reverse());
  });

  it('keeps a histogram column for every latency bucket', async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM pragma_table_info('analytics_rollups') WHERE name LIKE 'lat\\_%' ESCAPE '\\'",
    ).all<{ name: string }>();
    expect(results.map((row) => row.name)).toEqual(Array.from({ length: BUCKET_COUNT }, (_, i) => lat(i)));
  });

  it('lands events sent through the real Queue', async () => {
    const environment = uniqueEnvironment('queue');
    const events = Array.from({ length: 3 }, () => sampleEvent({ environment }));
    await env.ANALYTICS.sendBatch(events.map((body) => ({ body, contentType: 'json' })));
    const deadline = Date.now() + 15_000;
    while ((await countedRequests(environment)).minute < events.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await countedRequests(environment)).toEqual({ minute: 3, hour: 3 });
  });

  it('keeps the newest 500 events of an environment in the recent-request log', async () => {
    const environment = uniqueEnvironment('recent');
    const events = Array.from({ length: 600 }, (_, i) => sampleEvent({ environment, time: TEN + i }));
    for (let start = 0; start < events.length; start += 100) {
      await deliver(messagesOf(events.slice(start, start + 100)));
    }
    const kept = await recentIds(environment);
    expect(kept).toEqual(
      events
        .slice(100)
        .map((event) => event.id)
        .reverse(),
    );
  });
});

describe('retries and redeliveries', () => {
  it('retries a batch D1 fails midway, leaves nothing of it behind, and counts it once in the end', async () => {
    const environment = uniqueEnvironment('retry');
    const messages = messagesOf(Array.from({ length: 5 }, () => sampleEvent({ environment })));
    const failing = failingMidBatch(2);
    for (const attempts of [1, 2]) {
      const failed = await deliver(messages, { attempts, db: failing });
      expect(failed.explicitAcks).toEqual([]);
      expect(failed.retryMessages.map((retry) => retry.msgId).sort()).toEqual(
        messages.map((m) => m.id).sort(),
      );
      expect(await countedRequests(environment)).toEqual({ minute: 0, hour: 0 });
      expect(await recentIds(environment)).toEqual([]);
    }
    const third = await deliver(messages, { attempts: 3, db: failing });
    expect(third.explicitAcks).toHaveLength(5);
    expect(third.retryMessages).toEqual([]);
    expect(await countedRequests(environment)).toEqual({ minute: 5, hour: 5 });
  });

  it('counts a batch delivered twice, or an event repeated within a batch, once', async () => {
    const environment = uniqueEnvironment('twice');
    const event = sampleEvent({ environment });
    const messages = messagesOf([event, sampleEvent({ environment }), event]);
    await deliver(messages);
    const again = await deliver(messages, { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(3);
    expect(await countedRequests(environment)).toEqual({ minute: 2, hour: 2 });
    expect(await recentIds(environment)).toHaveLength(2);
  });

  it('drops messages it cannot read with a log line, and counts the rest', async () => {
    const environment = uniqueEnvironment('unreadable');
    const good = sampleEvent({ environment });
    const newer = { ...sampleEvent({ environment }), v: 2 };
    const malformed = { ...sampleEvent({ environment }), status: 'teapot' };
    const messages = messagesOf([good, newer, malformed, 'not an event']);
    const warnings = vi.spyOn(console, 'warn');
    const result = await deliver(messages);
    const dropped = warnings.mock.calls.map(([line]) => JSON.parse(String(line)));
    warnings.mockRestore();
    expect(dropped.map((line) => [line.message, line.messageId, line.reason])).toEqual(
      messages
        .slice(1)
        .map((m, i) => ['analytics message dropped', m.id, i === 1 ? 'malformed' : 'unsupported-version']),
    );
    expect(result.explicitAcks.sort()).toEqual(messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect(await recentIds(environment)).toEqual([good.id]);
  });
});

describe('retention', () => {
  it('deletes minute rows after 7 days, hour rows after 90 and counted ids after a day', async () => {
    const environment = uniqueEnvironment('old');
    const now = Date.now();
    const DAY = 24 * HOUR;
    const times = [now - 8 * DAY, now - 5 * DAY, now - 91 * DAY];
    const events = times.map((time) => sampleEvent({ environment, time }));
    await deliver(messagesOf(events));
    // A day and an hour later: the ids counted now are past their day.
    await worker.scheduled(
      createScheduledController({ scheduledTime: now + DAY + HOUR, cron: '7 * * * *' }),
      env,
    );
    const rows = await rollupRows(environment);
    const startOf = (time: number, period: number) => time - (time % period);
    expect(rows.map((row) => [row.period_ms, row.start])).toEqual([
      [MINUTE, startOf(times[1]!, MINUTE)],
      [HOUR, startOf(times[0]!, HOUR)],
      [HOUR, startOf(times[1]!, HOUR)],
    ]);
    const seen = await env.DB.prepare('SELECT COUNT(*) AS n FROM analytics_seen_events WHERE id IN (?, ?, ?)')
      .bind(...events.map((event) => event.id))
      .first<number>('n');
    expect(seen).toBe(0);
  });
});
