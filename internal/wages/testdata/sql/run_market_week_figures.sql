INSERT INTO wage_figures (scope, requester_id, hit_set_id, bucket, records, reporters, excluded_reporters, 	paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly, 	median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target, 	submitted, pending, approved, rejected, returned, abandoned, 	median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio, 	requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at, 	platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered, 	hist_bins, hist_tasks, hist_secs) SELECT scope, requester_id, hit_set_id, bucket, records, reporters, excluded_reporters,
	paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
	median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
	submitted, pending, approved, rejected, returned, abandoned,
	median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
	requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
	platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered,
	hist_bins, hist_tasks, hist_secs FROM (-- Wage figures for every key of one scope. Rendered by figures.go: K1, K2, K3 are the key expressions
-- of the scope (requester, HIT group, time bucket; '' when unused) and Where a fixed filter whose
-- values are bound parameters. The outer SELECT gives wage_figures' columns, in order; inner aliases
-- carry an f_ prefix so that none shadows a record column.
--
-- Untimed records (no time on task: timed = 0, migration 0013) count in records, reporters, the
-- status counts and untimed/untimed_offered; they have no time, pay or per-task wage, so every wage
-- figure, median and the pay score rest on the timed records alone.
--
-- The per-task wage histogram a requester's page draws (hist_*: the bins with tasks, their tasks
-- and task time; bins {hist_width} wide, the last of {hist_bins} open-ended) is kept with the
-- requester scope's figures (other scopes' are empty), so a page reads it instead of grouping the
-- requester's records again.
--
-- One pass over the key's records gives every sum, count and quantile; the records of reporters whose
-- tasks overlap impossibly (pairs.sql, NOT ok) are left out of all of them. Merged time is the plain
-- task time less what merging saves, and only the pairs of reporters whose tasks may overlap
-- (pairs.sql) can save anything, so a record-sized GROUP BY of every pair is never needed.
--
-- Lean (trends: weeks, hours of the day, weekdays) keeps records, reporters, pay and time, hence the
-- effective and nominal hourly wages, and leaves the per-task distribution, shares, status counts,
-- medians and names empty (NULL, 0 or '').
--
-- A requester's name (names.sql) and a HIT group's title (titles.sql) come from MTurk's listings,
-- else from the most distinct reporters, never from whichever record came last: one report must
-- not rename a requester. Scopes without a requester (or HIT group) key leave them ''.
SELECT
    {scope:String} AS scope,
    f_k1 AS requester_id,
    f_k2 AS hit_set_id,
    f_k3 AS bucket,
    f_platform AS platform,
    f_cur AS currency,
    f_records AS records,
    f_reporters AS reporters,
    f_excluded AS excluded_reporters,
    f_paid AS paid,
    f_offered AS offered,
    greatest(f_task_secs - f_eff_saved, 0) AS effective_secs,
    greatest(f_sub_secs - f_nom_saved, 0) AS nominal_secs,
    f_task_secs AS task_secs,
    if(effective_secs > 0, f_paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, f_offered / nominal_secs * 3600, NULL) AS nominal_hourly,
-- The columns lean (trend) figures leave empty, between nominal_hourly and target: no per-task
-- distribution, shares, status counts, medians or names. Included by figures.sql (Lean) and trend.sql.
    CAST(NULL, 'Nullable(Float64)') AS median_hourly,
    CAST(NULL, 'Nullable(Float64)') AS p25_hourly,
    CAST(NULL, 'Nullable(Float64)') AS p75_hourly,
    CAST(NULL, 'Nullable(Float64)') AS trimmed_mean_hourly,
    CAST(NULL, 'Nullable(Float64)') AS share_below_minimum,
    CAST(NULL, 'Nullable(Float64)') AS share_below_target,
    toUInt64(0) AS submitted,
    toUInt64(0) AS pending,
    toUInt64(0) AS approved,
    toUInt64(0) AS rejected,
    toUInt64(0) AS returned,
    toUInt64(0) AS abandoned,
    toUInt64(0) AS screened_out,
    toUInt64(0) AS timed_out,
    CAST(NULL, 'Nullable(Float64)') AS median_decision_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_approval_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_task_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_allotted_ratio,
    '' AS requester_name,
    '' AS title,
    toFloat64(0) AS reward,
    toUInt32(0) AS allotted_seconds,
    CAST(NULL, 'Nullable(Float64)') AS bonus_owed,
    f_minimum AS minimum,
    f_target AS target,
    CAST(NULL, 'Nullable(Float64)') AS pay_score,
    f_untimed AS untimed,
    f_u_offered AS untimed_offered,
    CAST([], 'Array(UInt32)') AS hist_bins, CAST([], 'Array(UInt64)') AS hist_tasks, CAST([], 'Array(Float64)') AS hist_secs,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM
(
    SELECT
        kh AS f_kh,
        any(k1) AS f_k1,
        any(k2) AS f_k2,
        any(k3) AS f_k3,
        any(platform) AS f_platform,
        any(cur) AS f_cur,
        any(kmin) AS f_minimum,
        any(ktarget) AS f_target,
        count() AS f_records,
        uniqExact(rq) AS f_reporters,
        toFloat64(sum(paid)) AS f_paid,
        toFloat64(sum(offered)) AS f_offered,
        sum(secs) AS f_task_secs,
        sumIf(secs, is_submitted) AS f_sub_secs,
        countIf(NOT timed) AS f_untimed,
        toFloat64(sum(u_offered)) AS f_u_offered
    FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, '', '', toString(toMonday(at))) AS UInt64) AS kh, '' AS k1, '' AS k2, toString(toMonday(at)) AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM wage_run_R
)
    WHERE (kh, rp) NOT IN (SELECT kh, rp FROM wage_run_R_market_week WHERE NOT ok)
    GROUP BY kh
) AS t
LEFT JOIN
(
    SELECT
        kh,
        sumIf(timed_secs - eff_merged, ok) AS f_eff_saved,
        sumIf(timed_nom_secs - nom_merged, ok) AS f_nom_saved,
        countIf(NOT ok) AS f_excluded
    FROM wage_run_R_market_week
    GROUP BY kh
) AS m ON t.f_kh = m.kh






)
