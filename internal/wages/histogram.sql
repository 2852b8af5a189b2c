-- Histogram of one requester's per-task hourly wages: bins of {width} dollars per hour, the last bin
-- open-ended. Same records as the figures: unflagged, reporters with impossible overlap left out.
SELECT
    toUInt32(least(floor(hourly / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin,
    count() AS tasks,
    sum(task_secs) AS seconds
FROM
(
{{template "per_reporter.sql" .}}
)
ARRAY JOIN hourlies AS hourly, secs_list AS task_secs
WHERE ok
GROUP BY bin
ORDER BY bin
