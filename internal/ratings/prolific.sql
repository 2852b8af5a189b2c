-- What Prolific researchers' components need beyond their wage figures, one row per researcher
-- (keys starting with {prefix}, "prolific:"), for all of them in one query per refresh. Over the
-- unflagged records with a time on task (flag = '' AND timed, as every wage figure):
--
-- so_secs, timed_secs: the reported time of the researcher's screened-out submissions, and of all
--   its submissions whatever their status: the share of its participants' time that ended in a
--   screen-out. (Unlike the wage figures, reporters whose tasks overlap impossibly are not left out:
--   both sums are over the same records, so the share stays a share.)
-- studies, reports, reported_secs, estimated_secs: advertised against reported time. Per study with
--   an advertised estimate (its latest listing snapshot {source} that states one) and submitted
--   reports with a time (submitted, pending, approved, rejected: screen-outs, returns and time-outs
--   never reached the end of the study): n the reports, m their median time (quantileExactInclusive,
--   as the wage figures' median task time), e the estimate; summed as n x m and n x e, so that
--   reported_secs / estimated_secs is the researcher's ratio with each study weighing by its reports.
SELECT
    rid,
    sum(so_secs) AS so_secs,
    sum(timed_secs) AS timed_secs,
    sum(studies) AS studies,
    sum(reports) AS reports,
    sum(reported_secs) AS reported_secs,
    sum(estimated_secs) AS estimated_secs
FROM
(
    SELECT
        requester_id AS rid,
        toFloat64(sumIf(secs, status = 'screened_out')) AS so_secs,
        toFloat64(sum(secs)) AS timed_secs,
        toUInt64(0) AS studies,
        toUInt64(0) AS reports,
        toFloat64(0) AS reported_secs,
        toFloat64(0) AS estimated_secs
    FROM wage_records
    WHERE startsWith(requester_id, {prefix:String}) AND flag = '' AND timed
    GROUP BY requester_id

    UNION ALL

    SELECT
        r.rid AS rid,
        toFloat64(0) AS so_secs,
        toFloat64(0) AS timed_secs,
        toUInt64(1) AS studies,
        toUInt64(r.n) AS reports,
        toFloat64(r.n * r.m) AS reported_secs,
        toFloat64(r.n * l.e) AS estimated_secs
    FROM
    (
        SELECT requester_id AS rid, hit_set_id AS hid, count() AS n, quantileExactInclusive(0.5)(secs) AS m
        FROM wage_records
        WHERE startsWith(requester_id, {prefix:String}) AND flag = '' AND timed AND is_submitted
        GROUP BY requester_id, hit_set_id
    ) AS r
    INNER JOIN
    (
        SELECT requester_id AS rid, hit_set_id AS hid, argMaxIf(estimated_seconds, crawled_at, estimated_seconds > 0) AS e
        FROM listing_snapshots
        WHERE source = {source:String} AND startsWith(requester_id, {prefix:String})
            AND NOT reported -- only the operator's imports: a relayed estimate could move a grade
        GROUP BY requester_id, hit_set_id
        HAVING countIf(estimated_seconds > 0) > 0
    ) AS l ON r.rid = l.rid AND r.hid = l.hid
)
GROUP BY rid
