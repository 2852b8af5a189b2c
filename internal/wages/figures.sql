-- Wage figures for every key of one scope. Rendered by figures.go: K1, K2, K3 are the key expressions
-- of the scope (requester, HIT group, time bucket; '' when unused) and Where a fixed filter whose
-- values are bound parameters. The outer SELECT gives wage_figures' columns, in order; inner aliases
-- carry an f_ prefix so that none shadows a record column.
--
-- Each record is joined to its reporter's row of per_reporter.sql (merged time, overlap test); records
-- of reporters whose tasks overlap impossibly (NOT p.ok) are left out of every aggregate but the count
-- of excluded reporters. Merged times are summed once per reporter
-- (on the reporter's first record).
SELECT
    {scope:String} AS scope,
    f_k1 AS requester_id,
    f_k2 AS hit_set_id,
    f_k3 AS bucket,
    f_records AS records,
    f_reporters AS reporters,
    f_excluded AS excluded_reporters,
    f_paid AS paid,
    f_offered AS offered,
    f_eff_secs AS effective_secs,
    f_nom_secs AS nominal_secs,
    f_task_secs AS task_secs,
    if(f_eff_secs > 0, f_paid / f_eff_secs * 3600, NULL) AS effective_hourly,
    if(f_nom_secs > 0, f_offered / f_nom_secs * 3600, NULL) AS nominal_hourly,
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
    if(isNaN(f_decision), NULL, f_decision) AS median_decision_secs,
    if(isNaN(f_approval), NULL, f_approval) AS median_approval_secs,
    if(isNaN(f_task), NULL, f_task) AS median_task_secs,
    if(isNaN(f_ratio), NULL, f_ratio) AS median_allotted_ratio,
    f_requester_name AS requester_name,
    f_title AS title,
    f_reward AS reward,
    f_allotted AS allotted_seconds,
    if(median_task_secs IS NULL, NULL,
       greatest(0, ceil(round(({target:Float64} * median_task_secs / 3600 - f_reward) * 100, 6)) / 100)) AS bonus_owed,
    {target:Float64} AS target,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM
(
    SELECT
        k1 AS f_k1,
        k2 AS f_k2,
        k3 AS f_k3,
        count() AS f_records,
        uniqExact(reporter) AS f_reporters,
        toFloat64(sum(paid)) AS f_paid,
        toFloat64(sum(offered)) AS f_offered,
        sum(secs) AS f_task_secs,
        arraySort(groupArray(task_hourly)) AS f_sorted,
        arrayReduce('quantilesExactInclusive(0.25, 0.5, 0.75)', f_sorted) AS f_qs,
        sumIf(secs, task_hourly < {minimum:Float64}) AS f_below_min,
        sumIf(secs, task_hourly < {target:Float64}) AS f_below_target,
        countIf(status = 'submitted') AS f_submitted,
        countIf(status = 'pending') AS f_pending,
        countIf(status = 'approved') AS f_approved,
        countIf(status = 'rejected') AS f_rejected,
        countIf(status = 'returned') AS f_returned,
        countIf(status = 'abandoned') AS f_abandoned,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL) AS f_decision,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL AND status = 'approved') AS f_approval,
        quantileExactInclusiveIf(0.5)(secs, is_submitted) AS f_task,
        quantileExactInclusiveIf(0.5)(allotted_seconds / secs, is_submitted AND allotted_seconds > 0) AS f_ratio,
        argMax(requester_name, received_at) AS f_requester_name,
        argMax(title, received_at) AS f_title,
        argMax(toFloat64(reward), received_at) AS f_reward,
        argMax(allotted_seconds, received_at) AS f_allotted
    FROM ({{template "keyed.sql" .}})
    WHERE (k1, k2, k3, reporter) NOT IN (SELECT k1, k2, k3, reporter FROM ({{template "per_reporter.sql" .}}) WHERE NOT ok)
    GROUP BY k1, k2, k3
) AS t
LEFT JOIN
(
    SELECT
        k1, k2, k3,
        sumIf(eff_secs, ok) AS f_eff_secs,
        sumIf(nom_secs, ok) AS f_nom_secs,
        countIf(NOT ok) AS f_excluded
    FROM ({{template "per_reporter.sql" .}})
    GROUP BY k1, k2, k3
) AS m ON t.f_k1 = m.k1 AND t.f_k2 = m.k2 AND t.f_k3 = m.k3
