/**
 * The rate-limit zone: a SQLite-backed Durable Object, one per policy and key (the zone
 * key names it), so every PoP counts against the same log. A thin RPC shell around the
 * pure modules: it checks the request (skew rule), decides with the in-memory state and
 * the object's clock, and writes each charged hit or counted response to SQLite before
 * the answer leaves (the output gate holds it until the write is durable), so an evicted
 * object reloads its counts. Each method decides and writes without awaiting anything
 * in between, so concurrent calls are strictly serialised. Rows carry their expiry; an
 * alarm deletes expired rows and, once nothing is left, the whole database.
 *
 * It does no I/O besides its own storage. Tables: docs/storage.md "Durable Objects".
 */
import { DurableObject } from 'cloudflare:workers';
import type { HitRequest, HitResult, QuotaPeriod, QuotaRequest, QuotaResult } from './protocol.ts';
import { type QuotaUsage, settleQuota } from './quota-period.ts';
import { SlidingLog } from './sliding-log.ts';
import { readHitRequest, readQuotaRequest } from './zone-request.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL, expires INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS hits_by_expiry ON hits (expires);
  CREATE TABLE IF NOT EXISTS quota_usage (
    period TEXT PRIMARY KEY, start INTEGER NOT NULL, used INTEGER NOT NULL, expires INTEGER NOT NULL
  );
`;

export class RateLimitZone extends DurableObject<DataPlaneEnv> {
  #log = new SlidingLog();
  #quotas = new Map<QuotaPeriod, QuotaUsage>();
  /** Whether the tables exist; a key that was only ever read or refused writes nothing. */
  #hasTables = false;
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: DataPlaneEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.#load(Date.now());
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Charges (consume) or counts (count) one hit against the key's limits. */
  async hit(request: HitRequest): Promise<HitResult> {
    const read = readHitRequest(request);
    if (!read.ok) throw new Error(read.error);
    const { v, limits, op } = read.value;
    const { allowed, recorded, at, limits: states, retryAt } = this.#log.hit(limits, op, Date.now());
    if (recorded) {
      const expires = at + Math.max(...limits.map((limit) => limit.windowMs));
      this.#sql('INSERT INTO hits (at, expires) VALUES (?, ?)', at, expires);
      await this.#cleanUpBy(expires);
    }
    return { v, allowed, limits: states, retryAt };
  }

  /** Reads (check) or adds one to (add) the key's allowance for the current UTC period. */
  async quota(request: QuotaRequest): Promise<QuotaResult> {
    const read = readQuotaRequest(request);
    if (!read.ok) throw new Error(read.error);
    const { v, period, op } = read.value;
    const { usage, used, remaining, resetAt } = settleQuota(this.#quotas.get(period), read.value, Date.now());
    if (op === 'add') {
      this.#quotas.set(period, usage);
      this.#sql(
        `INSERT INTO quota_usage (period, start, used, expires) VALUES (?, ?, ?, ?)
         ON CONFLICT (period) DO UPDATE SET start = excluded.start, used = excluded.used, expires = excluded.expires`,
        period,
        usage.start,
        usage.used,
        resetAt,
      );
      await this.#cleanUpBy(resetAt);
    }
    return { v, used, remaining, resetAt };
  }

  /** Deletes expired rows; when none are left, the whole database (and this state with it). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.#sql('DELETE FROM hits WHERE expires <= ?', now);
    this.#sql('DELETE FROM quota_usage WHERE expires <= ?', now);
    const { latest } = this.ctx.storage.sql
      .exec<{ latest: number | null }>(
        'SELECT MAX(expires) AS latest FROM (SELECT expires FROM hits UNION ALL SELECT expires FROM quota_usage)',
      )
      .one();
    this.#alarmAt = latest;
    if (latest !== null) return this.ctx.storage.setAlarm(latest);
    this.#log = new SlidingLog();
    this.#quotas.clear();
    this.#hasTables = false;
    await this.ctx.storage.deleteAll();
  }

  #load(now: number): void {
    const tables = this.ctx.storage.sql.exec(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hits'",
    );
    this.#hasTables = tables.toArray().length > 0;
    if (!this.#hasTables) return;
    const hits = this.ctx.storage.sql.exec<{ at: number }>('SELECT at FROM hits WHERE expires > ?', now);
    this.#log = new SlidingLog(Array.from(hits, (row) => row.at));
    const usage = this.ctx.storage.sql.exec<{ period: QuotaPeriod; start: number; used: number }>(
      'SELECT period, start, used FROM quota_usage WHERE expires > ?',
      now,
    );
    for (const { period, start, used } of usage) this.#quotas.set(period, { start, used });
  }

  #sql(query: string, ...bindings: (string | number)[]): void {
    if (!this.#hasTables) {
      this.ctx.storage.sql.exec(SCHEMA);
      this.#hasTables = true;
    }
    this.ctx.storage.sql.exec(query, ...bindings);
  }

  /** One alarm at a time: when it runs it deletes what expired and moves itself on. */
  async #cleanUpBy(expires: number): Promise<void> {
    if (this.#alarmAt !== null) return;
    this.#alarmAt = expires;
    await this.ctx.storage.setAlarm(expires);
  }
}
