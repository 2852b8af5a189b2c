-- 0003_wages as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE VIEW IF NOT EXISTS wage_records ON CLUSTER 'hitwage' AS
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
    (reward + bonus) * (status IN ('submitted', 'pending', 'approved')) AS paid,
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
    computed_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', computed_at)
ORDER BY (scope, requester_id, hit_set_id, bucket);

CREATE TABLE IF NOT EXISTS wage_figures ON CLUSTER 'hitwage' AS wage_figures_local
ENGINE = Distributed('hitwage', 'hitwage', 'wage_figures_local', cityHash64(requester_id));

CREATE TABLE IF NOT EXISTS wage_dirty_local ON CLUSTER 'hitwage' (
    touched_at DateTime64(3, 'UTC'),
    requester_id String
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
ORDER BY (touched_at, requester_id)
TTL toDateTime(touched_at) + INTERVAL 7 DAY;

CREATE TABLE IF NOT EXISTS wage_dirty ON CLUSTER 'hitwage' AS wage_dirty_local
ENGINE = Distributed('hitwage', 'hitwage', 'wage_dirty_local', cityHash64(requester_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS wage_dirty_mv ON CLUSTER 'hitwage' TO wage_dirty_local AS
SELECT now64(3, 'UTC') AS touched_at, requester_id
FROM task_records_local
GROUP BY requester_id;
