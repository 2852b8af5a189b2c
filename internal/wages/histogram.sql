-- Histogram of one requester's per-task hourly wages: bins of {width} dollars per hour, the last bin
-- open-ended. Same timed records as the figures: unflagged, reporters with impossible overlap left out.
SELECT
    toUInt32(least(floor(task_hourly / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin,
    count() AS tasks,
    sum(secs) AS seconds
FROM ({{template "keyed.sql" .}})
WHERE timed AND (kh, rp) NOT IN (SELECT kh, rp FROM {{template "pairs" .}} WHERE NOT ok)
GROUP BY bin
ORDER BY bin
