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
    if(empty(f_sorted), NULL, f_qs[2]) AS median_hourly,
    if(empty(f_sorted), NULL, f_qs[1]) AS p25_hourly,
    if(empty(f_sorted), NULL, f_qs[3]) AS p75_hourly,
    if(empty(f_sorted), NULL,
       arrayAvg(arraySlice(f_sorted, 1 + toUInt64(floor(length(f_sorted) * 0.1)),
                           length(f_sorted) - 2 * toUInt64(floor(length(f_sorted) * 0.1))))) AS trimmed_mean_hourly,
    if(f_task_secs > 0, f_below_min / f_task_secs, NULL) AS share_below_minimum,
    if(f_task_secs > 0, f_below_target / f_task_secs, NULL) AS share_below_target,
    f_submitted AS submitted,
    f_pending AS pending,
    f_approved AS approved,
    f_rejected AS rejected,
    f_returned AS returned,
    f_abandoned AS abandoned,
    f_screened_out AS screened_out,
    f_timed_out AS timed_out,
    if(isNaN(f_decision), NULL, f_decision) AS median_decision_secs,
    if(isNaN(f_approval), NULL, f_approval) AS median_approval_secs,
    if(isNaN(f_task), NULL, f_task) AS median_task_secs,
    if(isNaN(f_ratio), NULL, f_ratio) AS median_allotted_ratio,
    f_requester_name AS requester_name,
    f_title AS title,
    f_vote_reward AS reward,
    f_vote_allotted AS allotted_seconds,
    if(median_task_secs IS NULL, NULL,
       greatest(0, ceil(round((f_target * median_task_secs / 3600 - reward) * 100, 6)) / 100)) AS bonus_owed,
    f_minimum AS minimum,
    f_target AS target,
    arrayMap(x -> x / 1000, f_by_rq.2) AS f_rt,
    arraySort(f_rt) AS f_rs,
    arrayCumSum(f_rs) AS f_rc,
    length(f_rt) AS f_rn,
    multiIf(f_rn * {cap:Float64} < 1, arrayMin(f_rt),
            arrayMax(f_rt) <= {cap:Float64} * arraySum(f_rt), inf,
            arrayFirst(l -> l > 0, arrayMap(k -> if(1 - {cap:Float64} * (f_rn - k) > 0
                AND {cap:Float64} * f_rc[k] / (1 - {cap:Float64} * (f_rn - k)) BETWEEN f_rs[k] AND f_rs[k + 1],
                {cap:Float64} * f_rc[k] / (1 - {cap:Float64} * (f_rn - k)), 0), arrayReverse(range(1, f_rn))))) AS f_level0,
    if(f_level0 > 0, f_level0, arrayMin(f_rt)) AS f_level,
    arrayMap(t -> least(t, f_level), f_rt) AS f_rw,
    if(f_rn = 0 OR arraySum(f_rw) <= 0, NULL,
       arraySum(arrayMap((w, t, p) -> w * if(t > 0, least(100, greatest(0, 100 * (p / 100) / t * 3600 / f_target)), 0), f_rw, f_rt, f_by_rq.3))
       / arraySum(f_rw)) AS pay_score,
    f_untimed AS untimed,
    f_u_offered AS untimed_offered,
    f_hist.1 AS hist_bins, f_hist.2 AS hist_tasks, f_hist.3 AS hist_secs,
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
        toFloat64(sum(u_offered)) AS f_u_offered,
        sumMapIf([rq], [toInt64(round(secs * 1000))], [toInt64(paid * 100)], timed) AS f_by_rq,
        arraySort(groupArrayIf(task_hourly, timed)) AS f_sorted,
        (CAST([], 'Array(UInt32)'), CAST([], 'Array(UInt64)'), CAST([], 'Array(Float64)')) AS f_hist,
        arrayReduce('quantilesExactInclusive(0.25, 0.5, 0.75)', f_sorted) AS f_qs,
        sumIf(secs, task_hourly < kmin) AS f_below_min,
        sumIf(secs, task_hourly < ktarget) AS f_below_target,
        countIf(status = 'submitted') AS f_submitted,
        countIf(status = 'pending') AS f_pending,
        countIf(status = 'approved') AS f_approved,
        countIf(status = 'rejected') AS f_rejected,
        countIf(status = 'returned') AS f_returned,
        countIf(status = 'abandoned') AS f_abandoned,
        countIf(status = 'screened_out') AS f_screened_out,
        countIf(status = 'timed_out') AS f_timed_out,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL) AS f_decision,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL AND status = 'approved') AS f_approval,
        quantileExactInclusiveIf(0.5)(secs, is_submitted AND timed) AS f_task,
        quantileExactInclusiveIf(0.5)(allotted_seconds / secs, is_submitted AND timed AND allotted_seconds > 0) AS f_ratio,
        argMax(toFloat64(reward), received_at) AS f_reward,
        argMax(allotted_seconds, received_at) AS f_allotted
    FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, requester_id, hit_set_id, '') AS UInt64) AS kh, requester_id AS k1, hit_set_id AS k2, '' AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM wage_run_R
)
    WHERE (kh, rp) NOT IN (SELECT kh, rp FROM wage_run_R_group WHERE NOT ok)
    GROUP BY kh
) AS t
LEFT JOIN
(
    SELECT
        kh,
        sumIf(timed_secs - eff_merged, ok) AS f_eff_saved,
        sumIf(timed_nom_secs - nom_merged, ok) AS f_nom_saved,
        countIf(NOT ok) AS f_excluded
    FROM wage_run_R_group
    GROUP BY kh
) AS m ON t.f_kh = m.kh
LEFT JOIN wage_run_R_names AS n ON t.f_k1 = n.n_k1
LEFT JOIN wage_run_R_titles AS g ON t.f_k1 = g.g_k1 AND t.f_k2 = g.g_k2






)
