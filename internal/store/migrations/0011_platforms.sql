-- Platforms (internal/platform): MTurk closed on 2026-09-30 and its figures are now an archive;
-- the platforms its workers and requesters moved to (Prolific first) are rated alongside it.
--
-- A requester is stored under a key that says its platform (platform.Key): MTurk's ids as they
-- always were, so every row written before this step is an MTurk row and keeps its key, and other
-- platforms' ids as 'platform:id'. Every table keyed by requester (task records, reviews, listing
-- snapshots, figures) is therefore scoped by platform without changing its sort key, and groups
-- and tasks, which are keyed within their requester, are scoped with it.

-- Statuses Hara et al. count as unpaid or underpaid time that MTurk's six did not name: Prolific's
-- screen-outs (paid a small fixed amount, or nothing) and time-outs (unpaid). Adding enum values
-- rewrites no data.
ALTER TABLE task_records {{.OnCluster}} MODIFY COLUMN status Enum8('submitted' = 1, 'pending' = 2, 'approved' = 3,
    'rejected' = 4, 'returned' = 5, 'abandoned' = 6, 'screened_out' = 7, 'timed_out' = 8);

-- A token may be scoped to one platform (a Prolific userscript's token reports Prolific's tasks
-- only); '' is every platform, as every token before this step.
ALTER TABLE ingest_tokens {{.OnCluster}} ADD COLUMN IF NOT EXISTS platform LowCardinality(String) DEFAULT '';

-- A token is one reporter (the trust rules, docs/methodology.md "Who counts as a reporter"): a
-- relaying script that names many workers' IDs counts once, unless the operator declared its token a
-- relay. relay marks those tokens and the records they sent; rq is the hash of the identity that
-- counts as one reporter: the token for a record sent through an undeclared token, else the worker's
-- pseudonym (a declared relay's, and imports', forum exports' and the demo's records, which the
-- operator vouches for). Distinct-reporter counts (figures, grades, shrinkage, name votes, reports)
-- count rq; merging a worker's overlapping tasks still goes by the worker (rp). Rows written before
-- this step are all undeclared (relay false), so an API record that named a worker now counts its token.
ALTER TABLE ingest_tokens {{.OnCluster}} ADD COLUMN IF NOT EXISTS relay Bool DEFAULT false;
ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS relay Bool DEFAULT false;
ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS rq UInt64
    MATERIALIZED cityHash64(if(via != '' AND NOT relay, concat('token:', via), reporter));
ALTER TABLE task_records {{.OnCluster}} MATERIALIZE COLUMN rq;

-- Money with a currency (ISO 4217); every row before this step was in US dollars.
ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS currency LowCardinality(String) DEFAULT 'USD';

-- How many reporters (distinct reporting identities, rq) and records each requester has in each
-- currency, fed on insert. A requester's figures are in the currency most of its reporters name (then
-- most records, then the alphabetically first): counting reporters, not rows, so that one reporter
-- re-sending a record in another currency cannot move a researcher's figures, floor and target into
-- it. The few requesters with records in several currencies are found here without reading the
-- records (wages' source.sql).
CREATE TABLE IF NOT EXISTS requester_currencies {{.OnCluster}} (
    requester_id String,
    currency LowCardinality(String),
    n SimpleAggregateFunction(sum, UInt64),
    reporters AggregateFunction(uniqExact, UInt64)
) ENGINE = AggregatingMergeTree
ORDER BY (requester_id, currency);

CREATE MATERIALIZED VIEW IF NOT EXISTS requester_currencies_mv {{.OnCluster}} TO requester_currencies AS
SELECT requester_id, currency, count() AS n, uniqExactState(rq) AS reporters
FROM task_records
GROUP BY requester_id, currency;

INSERT INTO requester_currencies (requester_id, currency, n, reporters)
SELECT requester_id, currency, count(), uniqExactState(rq)
FROM task_records
WHERE requester_id NOT IN (SELECT requester_id FROM requester_currencies)
GROUP BY requester_id, currency;

-- wage_records as in 0010, with the record's platform (from its requester key) and currency; a
-- screened-out task is paid what it reports (a screen-out payment, often 0) and counts as worked
-- time, not as a submitted task; a timed-out one is unpaid time, like a return.
CREATE OR REPLACE VIEW wage_records {{.OnCluster}} AS
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

-- wage_figures as in 0006, with each row's platform and currency (a requester's figures are in its
-- currency; the market's are per platform and currency), the floor it was judged by (minimum, beside
-- target), the new statuses' counts and the reporter-balanced pay score that no one reporter's flood
-- can move by more than its cap (pay_score, wages' figures.sql). Derived, so dropped and made anew; the cleared watermark makes
-- the next wages.Update a full Recompute.
DROP TABLE IF EXISTS wage_figures {{.OnCluster}};

CREATE TABLE IF NOT EXISTS wage_figures {{.OnCluster}} (
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
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (scope, requester_id, hit_set_id, bucket, platform, currency)
SETTINGS index_granularity = 256, min_bytes_for_wide_part = 1000000000000, min_rows_for_wide_part = 1000000000000;

INSERT INTO meta (key, value, updated_at) VALUES ('wages_dirty_watermark', '', now64(3, 'UTC'));

-- A record belongs to its reporter (the trust rules, docs/methodology.md "A task is counted once"):
-- a task one identity (rq's: a token, or the worker a relay or an import names) has reported is
-- its own; another identity's report of the same task never replaces it but is kept here, beside it,
-- as corroboration that moderators can compare (collector disagreements), and counts in no figure.
-- One row per task and identity, its latest report.
CREATE TABLE IF NOT EXISTS task_corroborations {{.OnCluster}} AS task_records
ENGINE = ReplacingMergeTree(version)
ORDER BY (requester_id, record_key, reporter, via);
