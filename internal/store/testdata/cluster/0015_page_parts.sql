-- 0015_page_parts as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

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
    hist_bins Array(UInt32),
    hist_tasks Array(UInt64),
    hist_secs Array(Float64),
    doc String MATERIALIZED toJSONString(tuple(scope, requester_id, hit_set_id, bucket, records, reporters,
        excluded_reporters, paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
        median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
        submitted, pending, approved, rejected, returned, abandoned,
        median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
        requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
        platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered,
        hist_bins, hist_tasks, hist_secs))
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', computed_at)
ORDER BY (scope, requester_id, hit_set_id, bucket, platform, currency)
SETTINGS index_granularity = 256, min_bytes_for_wide_part = 1000000000000, min_rows_for_wide_part = 1000000000000;

CREATE TABLE IF NOT EXISTS wage_figures ON CLUSTER 'hitwage' AS wage_figures_local
ENGINE = Distributed('hitwage', 'hitwage', 'wage_figures_local', cityHash64(requester_id));

INSERT INTO meta (key, value, updated_at) VALUES ('wages_dirty_watermark', '', now64(3, 'UTC'));
