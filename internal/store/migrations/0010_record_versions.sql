-- wage_records as in 0009, with what a wages update needs to read only the records written since
-- the last full recompute (wages.recordCache): the record's version, rk (a 64-bit hash of the
-- record's identity, requester and record key, by which a newer version is matched with the one the
-- recompute copied; a collision would take two of ten million records to share a hash) and part,
-- the data part the row is read from (a filter on it pushed down into the view keeps FINAL to
-- those parts). Nothing is stored: the view only exposes more of each row.
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
    version,
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
