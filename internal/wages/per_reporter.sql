-- Level 1 of the wage figures, per key and reporter (see figures.sql): the reporter's merged task time,
-- the impossible-overlap test (ok), sums, and per-task arrays. Included by figures.sql and histogram.sql.
--
-- Merging: the reporter's [start, end] intervals (in ms) are sorted and folded with the state
-- (total, current start, current end); an interval starting after the current end closes the current one.
    SELECT
        {{.K1}} AS k1,
        {{.K2}} AS k2,
        {{.K3}} AS k3,
        reporter,
        count() AS n,
        sum(secs) AS t_secs,
        arrayFold((acc, x) -> if(x.1 > acc.3, (acc.1 + acc.3 - acc.2, x.1, x.2), (acc.1, acc.2, greatest(acc.3, x.2))),
            arraySort(groupArrayIf((assumeNotNull(start_ms), assumeNotNull(end_ms)), end_ms IS NOT NULL)),
            (toInt64(0), toInt64(0), toInt64(0))) AS eff_fold,
        (eff_fold.1 + eff_fold.3 - eff_fold.2) / 1000 + sumIf(secs, end_ms IS NULL) AS eff_secs,
        arrayFold((acc, x) -> if(x.1 > acc.3, (acc.1 + acc.3 - acc.2, x.1, x.2), (acc.1, acc.2, greatest(acc.3, x.2))),
            arraySort(groupArrayIf((assumeNotNull(start_ms), assumeNotNull(end_ms)), end_ms IS NOT NULL AND is_submitted)),
            (toInt64(0), toInt64(0), toInt64(0))) AS nom_fold,
        (nom_fold.1 + nom_fold.3 - nom_fold.2) / 1000 + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
        eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs AS ok,
        toFloat64(sum(paid)) AS paid_sum,
        toFloat64(sum(offered)) AS offered_sum,
        groupArray(task_hourly) AS hourlies,
        groupArray(secs) AS secs_list,
        sumIf(secs, task_hourly < {minimum:Float64}) AS below_min_secs,
        sumIf(secs, task_hourly < {target:Float64}) AS below_target_secs,
        countIf(status = 'submitted') AS n_submitted,
        countIf(status = 'pending') AS n_pending,
        countIf(status = 'approved') AS n_approved,
        countIf(status = 'rejected') AS n_rejected,
        countIf(status = 'returned') AS n_returned,
        countIf(status = 'abandoned') AS n_abandoned,
        groupArrayIf(assumeNotNull(decision_secs), decision_secs IS NOT NULL) AS decisions,
        groupArrayIf(assumeNotNull(decision_secs), decision_secs IS NOT NULL AND status = 'approved') AS approvals,
        groupArrayIf(secs, is_submitted) AS done_secs,
        groupArrayIf(allotted_seconds / secs, is_submitted AND allotted_seconds > 0) AS allotted_ratios,
        max(received_at) AS last_at,
        argMax(requester_name, received_at) AS last_requester_name,
        argMax(title, received_at) AS last_title,
        argMax(toFloat64(reward), received_at) AS last_reward,
        argMax(allotted_seconds, received_at) AS last_allotted
    FROM wage_records
    WHERE flag = '' {{.Where}}
    GROUP BY k1, k2, k3, reporter
