-- 0011_platforms as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE task_records_local ON CLUSTER 'hitwage' MODIFY COLUMN status Enum8('submitted' = 1, 'pending' = 2, 'approved' = 3,
    'rejected' = 4, 'returned' = 5, 'abandoned' = 6, 'screened_out' = 7, 'timed_out' = 8);

ALTER TABLE task_records ON CLUSTER 'hitwage' MODIFY COLUMN status Enum8('submitted' = 1, 'pending' = 2, 'approved' = 3,
    'rejected' = 4, 'returned' = 5, 'abandoned' = 6, 'screened_out' = 7, 'timed_out' = 8);

ALTER TABLE ingest_tokens ADD COLUMN IF NOT EXISTS platform LowCardinality(String) DEFAULT '';

ALTER TABLE ingest_tokens ADD COLUMN IF NOT EXISTS relay Bool DEFAULT false;

ALTER TABLE task_records_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS relay Bool DEFAULT false;

ALTER TABLE task_records ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS relay Bool DEFAULT false;

ALTER TABLE task_records_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS rq UInt64
    MATERIALIZED cityHash64(if(via != '' AND NOT relay, concat('token:', via), reporter));

ALTER TABLE task_records ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS rq UInt64
    MATERIALIZED cityHash64(if(via != '' AND NOT relay, concat('token:', via), reporter));

ALTER TABLE task_records_local ON CLUSTER 'hitwage' MATERIALIZE COLUMN rq;

ALTER TABLE task_records_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS currency LowCardinality(String) DEFAULT 'USD';

ALTER TABLE task_records ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS currency LowCardinality(String) DEFAULT 'USD';

CREATE TABLE IF NOT EXISTS requester_currencies_local ON CLUSTER 'hitwage' (
    requester_id String,
    currency LowCardinality(String),
    n SimpleAggregateFunction(sum, UInt64),
    reporters AggregateFunction(uniqExact, UInt64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
ORDER BY (requester_id, currency);

CREATE TABLE IF NOT EXISTS requester_currencies ON CLUSTER 'hitwage' AS requester_currencies_local
ENGINE = Distributed('hitwage', 'hitwage', 'requester_currencies_local', cityHash64(requester_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS requester_currencies_mv ON CLUSTER 'hitwage' TO requester_currencies_local AS
SELECT requester_id, currency, count() AS n, uniqExactState(rq) AS reporters
FROM task_records_local
GROUP BY requester_id, currency;

INSERT INTO requester_currencies (requester_id, currency, n, reporters)
SELECT requester_id, currency, count(), uniqExactState(rq)
FROM task_records
WHERE requester_id NOT IN (SELECT requester_id FROM requester_currencies)
GROUP BY requester_id, currency;

CREATE OR REPLACE VIEW wage_records ON CLUSTER 'hitwage' AS
SELECT
    requester_id,
    record_key,
    reporter,
    hit_set_id,
    requester_name,
    title,
    reward,
    bonus,
    status,
    allotted_seconds,
    received_at,
    decided_at,
    finished_at,
    via,
    rp,
    rq,
    version,
    currency,
    if(position(requester_id, ':') = 0, 'mturk', substring(requester_id, 1, position(requester_id, ':') - 1)) AS platform,
    cityHash64(requester_id, record_key) AS rk,
    _part AS part,
    if(duration_seconds > 0, toInt64(duration_seconds) * 1000,
       if(accepted_at IS NOT NULL AND finished_at IS NOT NULL,
          greatest(dateDiff('millisecond', assumeNotNull(accepted_at), assumeNotNull(finished_at)), 0), 0)) AS dur_ms,
    dur_ms / 1000 AS secs,
    multiIf(finished_at IS NOT NULL, toUnixTimestamp64Milli(assumeNotNull(finished_at)),
            accepted_at IS NOT NULL, toUnixTimestamp64Milli(assumeNotNull(accepted_at)) + dur_ms,
            NULL) AS end_ms,
    end_ms - dur_ms AS start_ms,
    coalesce(finished_at, accepted_at, received_at) AS at,
    status IN ('submitted', 'pending', 'approved', 'rejected') AS is_submitted,
    (reward + bonus) * (status IN ('submitted', 'pending', 'approved', 'screened_out')) AS paid,
    reward * is_submitted AS offered,
    if(secs > 0, toFloat64(paid) / secs * 3600, 0) AS task_hourly,
    if(finished_at IS NOT NULL AND decided_at IS NOT NULL AND status IN ('approved', 'rejected'),
       greatest(dateDiff('millisecond', assumeNotNull(finished_at), assumeNotNull(decided_at)), 0) / 1000, NULL) AS decision_secs,
    multiIf(secs < 1, 'no_time',
            secs > 86400, 'over_day',
            allotted_seconds > 0 AND secs > 2 * allotted_seconds, 'over_allotted',
            reward < 0 OR bonus < 0, 'negative_money',
            '') AS flag
FROM task_records FINAL;

DROP TABLE IF EXISTS wage_figures ON CLUSTER 'hitwage';

DROP TABLE IF EXISTS wage_figures_local ON CLUSTER 'hitwage' SYNC;

CREATE TABLE IF NOT EXISTS wage_figures_local ON CLUSTER 'hitwage' (
    scope LowCardinality(String),
    requester_id String,
    hit_set_id String,
    bucket String,
    records UInt64,
    reporters UInt64,
    excluded_reporters UInt64,
    paid Float64,
    offered Float64,
    effective_secs Float64,
    nominal_secs Float64,
    task_secs Float64,
    effective_hourly Nullable(Float64),
    nominal_hourly Nullable(Float64),
    median_hourly Nullable(Float64),
    p25_hourly Nullable(Float64),
    p75_hourly Nullable(Float64),
    trimmed_mean_hourly Nullable(Float64),
    share_below_minimum Nullable(Float64),
    share_below_target Nullable(Float64),
    submitted UInt64,
    pending UInt64,
    approved UInt64,
    rejected UInt64,
    returned UInt64,
    abandoned UInt64,
    median_decision_secs Nullable(Float64),
    median_approval_secs Nullable(Float64),
    median_task_secs Nullable(Float64),
    median_allotted_ratio Nullable(Float64),
    requester_name String,
    title String,
    reward Float64,
    allotted_seconds UInt32,
    bonus_owed Nullable(Float64),
    target Float64,
    computed_at DateTime64(3, 'UTC'),
    platform LowCardinality(String),
    currency LowCardinality(String),
    minimum Float64,
    screened_out UInt64,
    timed_out UInt64,
    pay_score Nullable(Float64),
    doc String MATERIALIZED toJSONString(tuple(scope, requester_id, hit_set_id, bucket, records, reporters,
        excluded_reporters, paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
        median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
        submitted, pending, approved, rejected, returned, abandoned,
        median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
        requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
        platform, currency, minimum, screened_out, timed_out, pay_score))
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', computed_at)
ORDER BY (scope, requester_id, hit_set_id, bucket, platform, currency)
SETTINGS index_granularity = 256, min_bytes_for_wide_part = 1000000000000, min_rows_for_wide_part = 1000000000000;

CREATE TABLE IF NOT EXISTS wage_figures ON CLUSTER 'hitwage' AS wage_figures_local
ENGINE = Distributed('hitwage', 'hitwage', 'wage_figures_local', cityHash64(requester_id));

INSERT INTO meta (key, value, updated_at) VALUES ('wages_dirty_watermark', '', now64(3, 'UTC'));

CREATE TABLE IF NOT EXISTS task_corroborations_local ON CLUSTER 'hitwage' AS task_records_local
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', version)
ORDER BY (requester_id, record_key, reporter, via);

CREATE TABLE IF NOT EXISTS task_corroborations ON CLUSTER 'hitwage' AS task_corroborations_local
ENGINE = Distributed('hitwage', 'hitwage', 'task_corroborations_local', cityHash64(requester_id));
