-- Per-task hourly wage distribution of one period on one platform, in bins {width} per hour wide (the
-- last open-ended), in the report's currency {cur}. Effective: what a task paid (reward + bonus of
-- submitted, pending, approved and screened-out tasks; 0 for rejected, returned, abandoned and timed-out
-- ones) over its reported time. Nominal: the reward offered over the time of submitted tasks. Unflagged
-- records only, as in the wage figures. A task paid in another currency is converted at the currency
-- table ({fx_cur}, {fx_usd}: US dollars per unit); a task in {cur} (every MTurk task) is not touched.
WITH tasks AS
(
    SELECT task_hourly, offered, secs, is_submitted,
        if(currency = {cur:String}, 1.,
           transform(toString(currency), {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)
           / transform({cur:String}, {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)) AS fx
    FROM wage_records
    WHERE flag = '' AND platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
)
SELECT kind, toUInt32(least(floor(v / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin, count() AS tasks
FROM
(
    SELECT 'effective' AS kind, task_hourly * fx AS v FROM tasks
    UNION ALL
    SELECT 'nominal' AS kind, toFloat64(offered) / secs * 3600 * fx AS v FROM tasks WHERE is_submitted AND secs > 0
)
GROUP BY kind, bin
ORDER BY kind, bin
