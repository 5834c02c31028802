/**
 * The rate-limit zone: a SQLite-backed Durable Object, one per policy and key (the zone
 * key names it), so every PoP counts against the same log. A thin RPC shell around the
 * pure modules: it checks the request (skew rule), decides with the in-memory state and
 * the object's clock, and writes what it charged to SQLite before the answer leaves (the
 * output gate holds it until the write is durable), so an evicted object reloads its
 * counts. Each method decides and writes without awaiting anything in between, so
 * concurrent calls are strictly serialised. Rows carry their expiry; an alarm deletes
 * expired rows and, once nothing is left, the whole database.
 *
 * It does no I/O besides its own storage. Tables: docs/storage.md "Durable Objects".
 */
import { DurableObject } from 'cloudflare:workers';
import type {
  HitRequest,
  HitResult,
  LeaseRequest,
  LeaseResult,
  LimitSpec,
  QuotaPeriod,
  QuotaRequest,
  QuotaResult,
} from './protocol.ts';
import { type QuotaUsage, settleQuota } from './quota-period.ts';
import { SlidingLog, type StoredLease, type StoredRecords } from './sliding-log.ts';
import { readHitRequest, readLeaseRequest, readQuotaRequest } from './zone-request.ts';

// IF NOT EXISTS throughout: an object written by an earlier version has some of these.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (at INTEGER NOT NULL, count INTEGER NOT NULL, expires INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS records_by_expiry ON records (expires);
  CREATE TABLE IF NOT EXISTS leases (
    id TEXT PRIMARY KEY, at INTEGER NOT NULL, spares INTEGER NOT NULL, expires INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS quota_usage (
    period TEXT PRIMARY KEY, start INTEGER NOT NULL, used INTEGER NOT NULL, expires INTEGER NOT NULL
  );
`;

/** Protocol 1's zone kept one `hits` row per hit; its rows become `records` once, on load. */
const MIGRATE_HITS = `
  INSERT INTO records (at, count, expires) SELECT at, COUNT(*), MAX(expires) FROM hits GROUP BY at;
  DROP TABLE hits;
`;

const INSERT_RECORDS = 'INSERT INTO records (at, count, expires) VALUES (?, ?, ?)';

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

  /** Protocol 1: consumes (strict) or counts (async) one hit. */
  async hit(request: HitRequest): Promise<HitResult> {
    const read = readHitRequest(request);
    if (!read.ok) throw new Error(read.error);
    const { limits, op } = read.value;
    const { allowed, recorded, at, limits: states, retryAt } = this.#log.hit(limits, op, Date.now());
    if (recorded > 0) {
      const expires = at + longestWindow(limits);
      this.#sql(INSERT_RECORDS, at, recorded, expires);
      await this.#cleanUpBy(expires);
    }
    return { v: 1, allowed, limits: states, retryAt };
  }

  /** Takes back a lease's unused spares, admits or counts requests and leases spares (protocol 2). */
  async lease(request: LeaseRequest): Promise<LeaseResult> {
    const read = readLeaseRequest(request);
    if (!read.ok) throw new Error(read.error);
    const { limits, release } = read.value;
    const decision = this.#log.lease(limits, read.value, crypto.randomUUID(), Date.now());
    const { admitted, allowed, spare, lease, at, end, released, limits: states, retryAt } = decision;
    if (release && released > 0) {
      this.#sql('UPDATE leases SET spares = spares - ? WHERE id = ?', released, release.lease);
      this.#sql('DELETE FROM leases WHERE id = ? AND spares <= 0', release.lease);
    }
    const longest = longestWindow(limits);
    const direct = admitted + read.value.count;
    if (direct > 0) this.#sql(INSERT_RECORDS, at, direct, at + longest);
    if (spare > 0) {
      this.#sql(
        'INSERT INTO leases (id, at, spares, expires) VALUES (?, ?, ?, ?)',
        lease,
        end,
        spare,
        end + longest,
      );
    }
    if (direct > 0 || spare > 0) await this.#cleanUpBy(end + longest);
    return { v: 2, admitted, allowed, spare, lease, limits: states, retryAt };
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
    for (const table of ['records', 'leases', 'quota_usage']) {
      this.#sql(`DELETE FROM ${table} WHERE expires <= ?`, now);
    }
    const { latest } = this.#sql<{ latest: number | null }>(
      `SELECT MAX(expires) AS latest FROM (
         SELECT expires FROM records UNION ALL SELECT expires FROM leases UNION ALL SELECT expires FROM quota_usage
       )`,
    ).one();
    this.#alarmAt = latest;
    if (latest !== null) return this.ctx.storage.setAlarm(latest);
    this.#log = new SlidingLog();
    this.#quotas.clear();
    this.#hasTables = false;
    await this.ctx.storage.deleteAll();
  }

  #load(now: number): void {
    const sql = this.ctx.storage.sql;
    const tables = new Set(
      sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .toArray()
        .map((t) => t.name),
    );
    // Nothing written yet (the runtime's own `_cf_` tables aside): nothing to load or create.
    if (!['records', 'hits', 'quota_usage'].some((table) => tables.has(table))) return;
    sql.exec(SCHEMA);
    this.#hasTables = true;
    if (tables.has('hits')) sql.exec(MIGRATE_HITS);
    const records = sql.exec<{ at: number; count: number }>(
      'SELECT at, count FROM records WHERE expires > ?',
      now,
    );
    const leases = sql.exec<{ id: string; at: number; spares: number }>(
      'SELECT id, at, spares FROM leases WHERE expires > ? AND spares > 0',
      now,
    );
    this.#log = new SlidingLog(
      Array.from(records, (row): StoredRecords => ({ end: row.at, count: row.count })),
      Array.from(leases, (row): StoredLease => ({ id: row.id, end: row.at, count: row.spares })),
    );
    const usage = sql.exec<{ period: QuotaPeriod; start: number; used: number }>(
      'SELECT period, start, used FROM quota_usage WHERE expires > ?',
      now,
    );
    for (const { period, start, used } of usage) this.#quotas.set(period, { start, used });
  }

  #sql<T extends Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: (string | number)[]
  ): SqlStorageCursor<T> {
    if (!this.#hasTables) {
      this.ctx.storage.sql.exec(SCHEMA);
      this.#hasTables = true;
    }
    return this.ctx.storage.sql.exec<T>(query, ...bindings);
  }

  /** One alarm at a time: when it runs it deletes what expired and moves itself on. */
  async #cleanUpBy(expires: number): Promise<void> {
    if (this.#alarmAt !== null) return;
    this.#alarmAt = expires;
    await this.ctx.storage.setAlarm(expires);
  }
}

function longestWindow(limits: readonly LimitSpec[]): number {
  return Math.max(...limits.map((limit) => limit.windowMs));
}
