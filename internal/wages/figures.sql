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
        r.k1 AS f_k1,
        r.k2 AS f_k2,
        r.k3 AS f_k3,
        countIf(p.ok) AS f_records,
        uniqExactIf(r.reporter, p.ok) AS f_reporters,
        uniqExactIf(r.reporter, NOT p.ok) AS f_excluded,
        toFloat64(sumIf(r.paid, p.ok)) AS f_paid,
        toFloat64(sumIf(r.offered, p.ok)) AS f_offered,
        sumIf(p.eff_secs, p.ok AND (r.requester_id, r.record_key) = p.first_record) AS f_eff_secs,
        sumIf(p.nom_secs, p.ok AND (r.requester_id, r.record_key) = p.first_record) AS f_nom_secs,
        sumIf(r.secs, p.ok) AS f_task_secs,
        arraySort(groupArrayIf(r.task_hourly, p.ok)) AS f_sorted,
        arrayReduce('quantilesExactInclusive(0.25, 0.5, 0.75)', f_sorted) AS f_qs,
        sumIf(r.secs, p.ok AND r.task_hourly < {minimum:Float64}) AS f_below_min,
        sumIf(r.secs, p.ok AND r.task_hourly < {target:Float64}) AS f_below_target,
        countIf(p.ok AND r.status = 'submitted') AS f_submitted,
        countIf(p.ok AND r.status = 'pending') AS f_pending,
        countIf(p.ok AND r.status = 'approved') AS f_approved,
        countIf(p.ok AND r.status = 'rejected') AS f_rejected,
        countIf(p.ok AND r.status = 'returned') AS f_returned,
        countIf(p.ok AND r.status = 'abandoned') AS f_abandoned,
        quantileExactInclusiveIf(0.5)(assumeNotNull(r.decision_secs), p.ok AND r.decision_secs IS NOT NULL) AS f_decision,
        quantileExactInclusiveIf(0.5)(assumeNotNull(r.decision_secs), p.ok AND r.decision_secs IS NOT NULL AND r.status = 'approved') AS f_approval,
        quantileExactInclusiveIf(0.5)(r.secs, p.ok AND r.is_submitted) AS f_task,
        quantileExactInclusiveIf(0.5)(r.allotted_seconds / r.secs, p.ok AND r.is_submitted AND r.allotted_seconds > 0) AS f_ratio,
        argMaxIf(r.requester_name, r.received_at, p.ok) AS f_requester_name,
        argMaxIf(r.title, r.received_at, p.ok) AS f_title,
        argMaxIf(toFloat64(r.reward), r.received_at, p.ok) AS f_reward,
        argMaxIf(r.allotted_seconds, r.received_at, p.ok) AS f_allotted
    FROM ({{template "keyed.sql" .}}) AS r
    INNER JOIN ({{template "per_reporter.sql" .}}) AS p
        ON r.k1 = p.k1 AND r.k2 = p.k2 AND r.k3 = p.k3 AND r.reporter = p.reporter
    GROUP BY r.k1, r.k2, r.k3
    HAVING f_records > 0
)
