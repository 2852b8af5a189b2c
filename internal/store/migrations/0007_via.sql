-- via: the ingest token (its id) that sent a task record or a review through the API; '' for
-- records from imports, the crawler, forum exports and the demo, and for rows written before this
-- step. A relaying script that names a worker (worker_id) may only read that worker's figures from
-- the records it sent itself, and only change or withdraw a review it wrote itself: a worker id is
-- no password, and any token could name any worker.
ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS via String DEFAULT '';
ALTER TABLE reviews {{.OnCluster}} ADD COLUMN IF NOT EXISTS via String DEFAULT '';
ALTER TABLE review_history {{.OnCluster}} ADD COLUMN IF NOT EXISTS via String DEFAULT '';

DROP VIEW IF EXISTS review_history_mv {{.OnCluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS review_history_mv {{.OnCluster}} TO review_history AS
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted, via
FROM reviews;

-- wage_records as in 0003, with via.
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
