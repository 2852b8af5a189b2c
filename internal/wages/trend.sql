-- Lean figures per time bucket of a live query (a requester's weekly trend): records, reporters,
-- pay and merged time, hence the effective and nominal hourly wages; no per-task distribution (those
-- columns are empty), as figures.sql's Lean figures, which runs write. Reporters whose tasks overlap
-- impossibly are left out. A live query's pairs (pairs.sql, Live) hold every record, so they alone
-- give every sum: one pass over the records instead of figures.sql's three. Only for live queries
-- (trendQuery): a run's pairs hold the overlapping reporters alone.
-- Output columns are wage_figures' columns, in order.
SELECT
    {scope:String} AS scope,
    any(k1) AS requester_id,
    any(k2) AS hit_set_id,
    any(k3) AS bucket,
    any(p_platform) AS platform,
    any(p_cur) AS currency,
    sumIf(n, ok) AS records,
    uniqExactIf(p_rq, ok) AS reporters,
    countIf(NOT ok) AS excluded_reporters,
    sumIf(paid_sum, ok) AS paid,
    sumIf(offered_sum, ok) AS offered,
    sumIf(eff_secs, ok) AS effective_secs,
    sumIf(nom_secs, ok) AS nominal_secs,
    sumIf(t_secs, ok) AS task_secs,
    if(effective_secs > 0, paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, offered / nominal_secs * 3600, NULL) AS nominal_hourly,
{{template "lean.sql"}}
    tupleElement({{template "floors" "concat(any(p_platform), '/', any(p_cur))"}}, 1) AS minimum,
    tupleElement({{template "floors" "concat(any(p_platform), '/', any(p_cur))"}}, 2) AS target,
    CAST(NULL, 'Nullable(Float64)') AS pay_score,
    sumIf(n_untimed, ok) AS untimed,
    sumIf(u_offered_sum, ok) AS untimed_offered,
    CAST([], 'Array(UInt32)') AS hist_bins, CAST([], 'Array(UInt64)') AS hist_tasks, CAST([], 'Array(Float64)') AS hist_secs,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM {{template "pairs" .}}
GROUP BY kh
HAVING records > 0
