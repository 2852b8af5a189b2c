-- Wage figures for every key of one scope. Rendered by figures.go: {{.K1}}, {{.K2}}, {{.K3}} are the
-- key expressions of the scope (requester, HIT group, time bucket; '' when unused) and {{.Where}} a
-- fixed filter whose values are bound parameters. Output columns are wage_figures' columns, in order.
--
-- Level 1, per key and reporter: the union ("merged") length of the reporter's task intervals, once over
-- all tasks (effective time) and once over submitted tasks (nominal time), plus the per-task arrays.
-- Level 2, per key: sums and quantiles over the reporters whose tasks do not overlap impossibly
-- (task time at most {max_overlap} times the merged time).
SELECT
    {scope:String} AS scope,
    k1 AS requester_id,
    k2 AS hit_set_id,
    k3 AS bucket,
    sumIf(n, ok) AS records,
    countIf(ok) AS reporters,
    countIf(NOT ok) AS excluded_reporters,
    sumIf(paid_sum, ok) AS paid,
    sumIf(offered_sum, ok) AS offered,
    sumIf(eff_secs, ok) AS effective_secs,
    sumIf(nom_secs, ok) AS nominal_secs,
    sumIf(t_secs, ok) AS task_secs,
    if(effective_secs > 0, paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, offered / nominal_secs * 3600, NULL) AS nominal_hourly,
    arraySort(groupArrayArrayIf(hourlies, ok)) AS sorted_hourlies,
    if(empty(sorted_hourlies), NULL, arrayReduce('quantileExactInclusive(0.5)', sorted_hourlies)) AS median_hourly,
    if(empty(sorted_hourlies), NULL, arrayReduce('quantileExactInclusive(0.25)', sorted_hourlies)) AS p25_hourly,
    if(empty(sorted_hourlies), NULL, arrayReduce('quantileExactInclusive(0.75)', sorted_hourlies)) AS p75_hourly,
    if(empty(sorted_hourlies), NULL,
       arrayAvg(arraySlice(sorted_hourlies, 1 + toUInt64(floor(length(sorted_hourlies) * 0.1)),
                           length(sorted_hourlies) - 2 * toUInt64(floor(length(sorted_hourlies) * 0.1))))) AS trimmed_mean_hourly,
    if(task_secs > 0, sumIf(below_min_secs, ok) / task_secs, NULL) AS share_below_minimum,
    if(task_secs > 0, sumIf(below_target_secs, ok) / task_secs, NULL) AS share_below_target,
    sumIf(n_submitted, ok) AS submitted,
    sumIf(n_pending, ok) AS pending,
    sumIf(n_approved, ok) AS approved,
    sumIf(n_rejected, ok) AS rejected,
    sumIf(n_returned, ok) AS returned,
    sumIf(n_abandoned, ok) AS abandoned,
    quantileExactInclusiveArrayIf(0.5)(decisions, ok) AS median_decision_secs_raw,
    if(isNaN(median_decision_secs_raw), NULL, median_decision_secs_raw) AS median_decision_secs,
    quantileExactInclusiveArrayIf(0.5)(approvals, ok) AS median_approval_secs_raw,
    if(isNaN(median_approval_secs_raw), NULL, median_approval_secs_raw) AS median_approval_secs,
    quantileExactInclusiveArrayIf(0.5)(done_secs, ok) AS median_task_secs_raw,
    if(isNaN(median_task_secs_raw), NULL, median_task_secs_raw) AS median_task_secs,
    quantileExactInclusiveArrayIf(0.5)(allotted_ratios, ok) AS median_allotted_ratio_raw,
    if(isNaN(median_allotted_ratio_raw), NULL, median_allotted_ratio_raw) AS median_allotted_ratio,
    argMaxIf(last_requester_name, last_at, ok) AS requester_name,
    argMaxIf(last_title, last_at, ok) AS title,
    argMaxIf(last_reward, last_at, ok) AS reward,
    argMaxIf(last_allotted, last_at, ok) AS allotted_seconds,
    if(median_task_secs IS NULL, NULL,
       greatest(0, ceil(round(({target:Float64} * median_task_secs / 3600 - reward) * 100, 6)) / 100)) AS bonus_owed,
    {target:Float64} AS target,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM
(
{{template "per_reporter.sql" .}}
)
GROUP BY k1, k2, k3
HAVING records > 0
