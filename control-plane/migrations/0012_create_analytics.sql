-- Analytics (docs/storage.md): the Queue consumer (control-plane/src/analytics/consume.ts)
-- folds the data plane's events (src/config/analytics-event.ts) into these tables, all
-- in one D1 batch per Queue batch; control-plane/src/store/analytics-*.ts hold the SQL.

-- Request counts per minute and per hour, each row for one (environment, period start,
-- route, status, consumer, outcome). Every event is added to its minute row and its hour
-- row; minute rows are kept 7 days, hour rows 90 days (control-plane/src/analytics/retention.ts).
CREATE TABLE analytics_rollups (
  environment TEXT NOT NULL,
  -- 60000 for a minute row, 3600000 for an hour row.
  period_ms INTEGER NOT NULL CHECK (period_ms IN (60000, 3600000)),
  -- Start of the minute or hour, in ms since the epoch (UTC).
  start INTEGER NOT NULL,
  -- The route's id; '' for requests no route matched.
  route TEXT NOT NULL,
  status INTEGER NOT NULL,
  -- The consumer's id; '' for anonymous requests. consumer_name is its latest name.
  consumer_id TEXT NOT NULL,
  consumer_name TEXT NOT NULL,
  outcome TEXT NOT NULL,
  requests INTEGER NOT NULL,
  -- Sums of the declared (Content-Length) sizes; undeclared sizes add nothing.
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  -- Requests a report-mode policy would have refused.
  reported INTEGER NOT NULL,
  latency_sum_ms INTEGER NOT NULL,
  latency_max_ms INTEGER NOT NULL,
  -- Requests that called an upstream, and the sum of their upstream latencies.
  upstream_requests INTEGER NOT NULL,
  upstream_sum_ms INTEGER NOT NULL,
  -- The total latency histogram: lat_NN counts the requests in bucket NN of
  -- control-plane/src/analytics/latency-buckets.ts (0-7 ms one each, then four per power
  -- of two, lat_64 from 131072 ms on). Summing columns merges histograms.
  lat_00 INTEGER NOT NULL DEFAULT 0,
  lat_01 INTEGER NOT NULL DEFAULT 0,
  lat_02 INTEGER NOT NULL DEFAULT 0,
  lat_03 INTEGER NOT NULL DEFAULT 0,
  lat_04 INTEGER NOT NULL DEFAULT 0,
  lat_05 INTEGER NOT NULL DEFAULT 0,
  lat_06 INTEGER NOT NULL DEFAULT 0,
  lat_07 INTEGER NOT NULL DEFAULT 0,
  lat_08 INTEGER NOT NULL DEFAULT 0,
  lat_09 INTEGER NOT NULL DEFAULT 0,
  lat_10 INTEGER NOT NULL DEFAULT 0,
  lat_11 INTEGER NOT NULL DEFAULT 0,
  lat_12 INTEGER NOT NULL DEFAULT 0,
  lat_13 INTEGER NOT NULL DEFAULT 0,
  lat_14 INTEGER NOT NULL DEFAULT 0,
  lat_15 INTEGER NOT NULL DEFAULT 0,
  lat_16 INTEGER NOT NULL DEFAULT 0,
  lat_17 INTEGER NOT NULL DEFAULT 0,
  lat_18 INTEGER NOT NULL DEFAULT 0,
  lat_19 INTEGER NOT NULL DEFAULT 0,
  lat_20 INTEGER NOT NULL DEFAULT 0,
  lat_21 INTEGER NOT NULL DEFAULT 0,
  lat_22 INTEGER NOT NULL DEFAULT 0,
  lat_23 INTEGER NOT NULL DEFAULT 0,
  lat_24 INTEGER NOT NULL DEFAULT 0,
  lat_25 INTEGER NOT NULL DEFAULT 0,
  lat_26 INTEGER NOT NULL DEFAULT 0,
  lat_27 INTEGER NOT NULL DEFAULT 0,
  lat_28 INTEGER NOT NULL DEFAULT 0,
  lat_29 INTEGER NOT NULL DEFAULT 0,
  lat_30 INTEGER NOT NULL DEFAULT 0,
  lat_31 INTEGER NOT NULL DEFAULT 0,
  lat_32 INTEGER NOT NULL DEFAULT 0,
  lat_33 INTEGER NOT NULL DEFAULT 0,
  lat_34 INTEGER NOT NULL DEFAULT 0,
  lat_35 INTEGER NOT NULL DEFAULT 0,
  lat_36 INTEGER NOT NULL DEFAULT 0,
  lat_37 INTEGER NOT NULL DEFAULT 0,
  lat_38 INTEGER NOT NULL DEFAULT 0,
  lat_39 INTEGER NOT NULL DEFAULT 0,
  lat_40 INTEGER NOT NULL DEFAULT 0,
  lat_41 INTEGER NOT NULL DEFAULT 0,
  lat_42 INTEGER NOT NULL DEFAULT 0,
  lat_43 INTEGER NOT NULL DEFAULT 0,
  lat_44 INTEGER NOT NULL DEFAULT 0,
  lat_45 INTEGER NOT NULL DEFAULT 0,
  lat_46 INTEGER NOT NULL DEFAULT 0,
  lat_47 INTEGER NOT NULL DEFAULT 0,
  lat_48 INTEGER NOT NULL DEFAULT 0,
  lat_49 INTEGER NOT NULL DEFAULT 0,
  lat_50 INTEGER NOT NULL DEFAULT 0,
  lat_51 INTEGER NOT NULL DEFAULT 0,
  lat_52 INTEGER NOT NULL DEFAULT 0,
  lat_53 INTEGER NOT NULL DEFAULT 0,
  lat_54 INTEGER NOT NULL DEFAULT 0,
  lat_55 INTEGER NOT NULL DEFAULT 0,
  lat_56 INTEGER NOT NULL DEFAULT 0,
  lat_57 INTEGER NOT NULL DEFAULT 0,
  lat_58 INTEGER NOT NULL DEFAULT 0,
  lat_59 INTEGER NOT NULL DEFAULT 0,
  lat_60 INTEGER NOT NULL DEFAULT 0,
  lat_61 INTEGER NOT NULL DEFAULT 0,
  lat_62 INTEGER NOT NULL DEFAULT 0,
  lat_63 INTEGER NOT NULL DEFAULT 0,
  lat_64 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (environment, period_ms, start, route, status, consumer_id, outcome)
) WITHOUT ROWID;

-- Retention deletes by age across environments.
CREATE INDEX analytics_rollups_by_age ON analytics_rollups (period_ms, start);

-- Events already counted, so a batch retried or delivered twice counts once: a batch
-- inserts its events' ids with its own claim, then counts only the ids it claimed, in the
-- same atomic D1 batch. Kept 24 hours after they were counted.
CREATE TABLE analytics_seen_events (
  id TEXT PRIMARY KEY,
  -- The claim of the batch that counted the event (a random UUID per attempt).
  claim TEXT NOT NULL,
  -- When it was counted, in ms since the epoch.
  seen_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX analytics_seen_events_by_age ON analytics_seen_events (seen_at);

-- The last 500 events of each environment, as they arrived (the event's JSON), for the
-- recent-request table.
CREATE TABLE analytics_recent_requests (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  -- The event's time, in ms since the epoch.
  time INTEGER NOT NULL,
  event TEXT NOT NULL CHECK (json_type(event) = 'object')
) WITHOUT ROWID;

CREATE INDEX analytics_recent_requests_by_time ON analytics_recent_requests (environment, time, id);
