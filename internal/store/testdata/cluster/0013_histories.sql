-- 0013_histories as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE task_records_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS source_kind LowCardinality(String)
    DEFAULT multiIf(source = 'api', 'api', source = 'demo', 'demo', startsWith(source, 'import:'), 'import',
                    startsWith(source, 'http'), 'forum', 'other');

ALTER TABLE task_records ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS source_kind LowCardinality(String)
    DEFAULT multiIf(source = 'api', 'api', source = 'demo', 'demo', startsWith(source, 'import:'), 'import',
                    startsWith(source, 'http'), 'forum', 'other');

ALTER TABLE task_corroborations_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS source_kind LowCardinality(String)
    DEFAULT multiIf(source = 'api', 'api', source = 'demo', 'demo', startsWith(source, 'import:'), 'import',
                    startsWith(source, 'http'), 'forum', 'other');

ALTER TABLE task_corroborations ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS source_kind LowCardinality(String)
    DEFAULT multiIf(source = 'api', 'api', source = 'demo', 'demo', startsWith(source, 'import:'), 'import',
                    startsWith(source, 'http'), 'forum', 'other');

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
    source_kind,
    if(position(requester_id, ':') = 0, 'mturk', substring(requester_id, 1, position(requester_id, ':') - 1)) AS platform,
    cityHash64(requester_id, record_key) AS rk,
    _part AS part,
    duration_seconds > 0 OR (accepted_at IS NOT NULL AND finished_at IS NOT NULL) AS timed,
    if(duration_seconds > 0, toInt64(duration_seconds) * 1000,
       if(accepted_at IS NOT NULL AND finished_at IS NOT NULL,
          greatest(dateDiff('millisecond', assumeNotNull(accepted_at), assumeNotNull(finished_at)), 0), 0)) AS dur_ms,
    dur_ms / 1000 AS secs,
    multiIf(NOT timed, NULL,
            finished_at IS NOT NULL, toUnixTimestamp64Milli(assumeNotNull(finished_at)),
            accepted_at IS NOT NULL, toUnixTimestamp64Milli(assumeNotNull(accepted_at)) + dur_ms,
            NULL) AS end_ms,
    end_ms - dur_ms AS start_ms,
    coalesce(finished_at, accepted_at, received_at) AS at,
    status IN ('submitted', 'pending', 'approved', 'rejected') AS is_submitted,
    (reward + bonus) * (status IN ('submitted', 'pending', 'approved', 'screened_out')) * timed AS paid,
    reward * is_submitted * timed AS offered,
    reward * is_submitted * (NOT timed) AS u_offered,
    if(secs > 0, toFloat64(paid) / secs * 3600, 0) AS task_hourly,
    if(finished_at IS NOT NULL AND decided_at IS NOT NULL AND status IN ('approved', 'rejected'),
       greatest(dateDiff('millisecond', assumeNotNull(finished_at), assumeNotNull(decided_at)), 0) / 1000, NULL) AS decision_secs,
    multiIf(NOT timed, '',
            secs < 1, 'no_time',
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
    untimed UInt64,
    untimed_offered Float64,
    doc String MATERIALIZED toJSONString(tuple(scope, requester_id, hit_set_id, bucket, records, reporters,
        excluded_reporters, paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
        median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
        submitted, pending, approved, rejected, returned, abandoned,
        median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
        requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
        platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered))
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', computed_at)
ORDER BY (scope, requester_id, hit_set_id, bucket, platform, currency)
SETTINGS index_granularity = 256, min_bytes_for_wide_part = 1000000000000, min_rows_for_wide_part = 1000000000000;

CREATE TABLE IF NOT EXISTS wage_figures ON CLUSTER 'hitwage' AS wage_figures_local
ENGINE = Distributed('hitwage', 'hitwage', 'wage_figures_local', cityHash64(requester_id));

INSERT INTO meta (key, value, updated_at) VALUES ('wages_dirty_watermark', '', now64(3, 'UTC'));

CREATE TABLE IF NOT EXISTS worker_days_local ON CLUSTER 'hitwage' (
    reporter String,
    platform LowCardinality(String),
    day Date,
    source LowCardinality(String),
    submitted Nullable(UInt32),
    approved Nullable(UInt32),
    rejected Nullable(UInt32),
    pending Nullable(UInt32),
    returned Nullable(UInt32),
    abandoned Nullable(UInt32),
    paid Nullable(UInt32),
    earnings Nullable(Decimal(12, 2)),
    bonus Nullable(Decimal(12, 2)),
    via String,
    received_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', received_at)
ORDER BY (reporter, platform, day, source);

CREATE TABLE IF NOT EXISTS worker_days ON CLUSTER 'hitwage' AS worker_days_local
ENGINE = Distributed('hitwage', 'hitwage', 'worker_days_local', cityHash64(reporter));

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS advertised_hourly Decimal(10, 2) DEFAULT 0;

ALTER TABLE listing_snapshots ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS advertised_hourly Decimal(10, 2) DEFAULT 0;

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS estimated_seconds UInt32 DEFAULT 0;

ALTER TABLE listing_snapshots ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS estimated_seconds UInt32 DEFAULT 0;

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS average_seconds UInt32 DEFAULT 0;

ALTER TABLE listing_snapshots ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS average_seconds UInt32 DEFAULT 0;

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS places UInt32 DEFAULT 0;

ALTER TABLE listing_snapshots ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS places UInt32 DEFAULT 0;
