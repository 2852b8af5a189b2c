-- Per-task hourly wage distribution of one period, in bins {width} dollars wide (the last open-ended).
-- Effective: what a task paid (reward + bonus of submitted, pending and approved tasks; $0 for rejected,
-- returned and abandoned ones) over its reported time. Nominal: the reward offered over the time of
-- submitted tasks. Unflagged records only, as in the wage figures.
SELECT kind, toUInt32(least(floor(v / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin, count() AS tasks
FROM
(
    SELECT 'effective' AS kind, task_hourly AS v
    FROM wage_records
    WHERE flag = '' AND platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
    UNION ALL
    SELECT 'nominal' AS kind, toFloat64(offered) / secs * 3600 AS v
    FROM wage_records
    WHERE flag = '' AND platform = {plat:String} AND is_submitted AND secs > 0 AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
)
GROUP BY kind, bin
ORDER BY kind, bin
