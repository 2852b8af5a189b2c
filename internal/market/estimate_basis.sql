-- What worker reports say about a HIT group nobody has reported yet (see docs/estimates.md):
-- the requester's other groups (median time as a share of the allotted time), similar groups
-- of any requester (a shared title word of 4+ letters, not a filler word, and an allotted time
-- within a factor of 2: median seconds), and the whole market (median share of allotted time).
-- Only submitted, unflagged records with a time count (wage_records, migration 0003).
SELECT
    countIf(r_group = {id:String}) AS own_reports,
    countIf(r_req AND r_ratio > 0) AS req_n,
    quantileExactIf(0.5)(r_ratio, r_req AND r_ratio > 0) AS req_ratio,
    countIf(r_similar) AS sim_n,
    quantileExactIf(0.5)(r_secs, r_similar) AS sim_secs,
    countIf(r_group != {id:String} AND r_ratio > 0) AS all_n,
    quantileExactIf(0.5)(r_ratio, r_group != {id:String} AND r_ratio > 0) AS all_ratio
FROM (
    SELECT
        hit_set_id AS r_group,
        toFloat64(secs) AS r_secs,
        if(allotted_seconds > 0, toFloat64(secs) / allotted_seconds, 0) AS r_ratio,
        requester_id = {rid:String} AND hit_set_id != {id:String} AS r_req,
        hit_set_id != {id:String}
            AND toUInt64(allotted_seconds) * 2 >= {allotted:UInt32}
            AND toUInt64(allotted_seconds) <= toUInt64({allotted:UInt32}) * 2
            AND hasAny(
                arrayFilter(w -> length(w) >= 4 AND NOT has(['with', 'about', 'this', 'that', 'your', 'from', 'minute',
                    'minutes', 'mins', 'short', 'quick', 'easy', 'task', 'tasks', 'hits', 'only', 'must', 'approx'], w),
                    splitByNonAlpha(lower(title))),
                arrayFilter(w -> length(w) >= 4 AND NOT has(['with', 'about', 'this', 'that', 'your', 'from', 'minute',
                    'minutes', 'mins', 'short', 'quick', 'easy', 'task', 'tasks', 'hits', 'only', 'must', 'approx'], w),
                    splitByNonAlpha(lower({title:String})))) AS r_similar
    FROM wage_records
    WHERE is_submitted AND flag = '' AND secs > 0 AND platform = 'mturk' -- estimates are of MTurk's listed HIT groups
)
