-- Histogram of one requester's per-task hourly wages: bins of {width} dollars per hour, the last bin
-- open-ended. Same records as the figures: unflagged, reporters with impossible overlap left out.
SELECT
    toUInt32(least(floor(task_hourly / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin,
    count() AS tasks,
    sum(secs) AS seconds
FROM ({{template "keyed.sql" .}}) AS r
INNER JOIN ({{template "per_reporter.sql" .}}) AS p
    ON r.k1 = p.k1 AND r.k2 = p.k2 AND r.k3 = p.k3 AND r.reporter = p.reporter
WHERE p.ok
GROUP BY bin
ORDER BY bin
