-- Per key and reporter (see figures.sql): the reporter's merged task time, effective (all tasks) and
-- nominal (submitted tasks), the plain sum of task times, and the impossible-overlap test (ok).
-- Included by figures.sql and histogram.sql.
--
-- Merging: the reporter's [start, end] intervals (ms) are sorted by start and folded once with the
-- state (effective total, current start, current end, nominal total, current start, current end): an
-- interval starting after the current end closes the current run and opens a new one; otherwise it
-- extends the current end. Nominal runs only take submitted tasks. Tasks without timestamps add their
-- own time unmerged.
SELECT
    k1, k2, k3, reporter,
    count() AS n,
    sum(secs) AS t_secs,
    toFloat64(sum(paid)) AS paid_sum,
    toFloat64(sum(offered)) AS offered_sum,
    arraySort(groupArrayIf((assumeNotNull(start_ms), assumeNotNull(end_ms), is_submitted), end_ms IS NOT NULL)) AS iv,
    if(length(iv) < 2,
        -- zero or one interval (most reporter/key pairs at scale): no fold needed
        (toInt64(0), iv[1].1, iv[1].2, toInt64(0), if(iv[1].3, iv[1].1, toInt64(0)), if(iv[1].3, iv[1].2, toInt64(0))),
        arrayFold((acc, x) -> (
                if(x.1 > acc.3, acc.1 + acc.3 - acc.2, acc.1),
                if(x.1 > acc.3, x.1, acc.2),
                if(x.1 > acc.3, x.2, greatest(acc.3, x.2)),
                if(x.3 AND x.1 > acc.6, acc.4 + acc.6 - acc.5, acc.4),
                if(x.3 AND x.1 > acc.6, x.1, acc.5),
                if(x.3, if(x.1 > acc.6, x.2, greatest(acc.6, x.2)), acc.6)),
            iv,
            (toInt64(0), toInt64(0), toInt64(0), toInt64(0), toInt64(0), toInt64(0)))) AS fold,
    (fold.1 + fold.3 - fold.2) / 1000 + sumIf(secs, end_ms IS NULL) AS eff_secs,
    (fold.4 + fold.6 - fold.5) / 1000 + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
    eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs AS ok
FROM ({{template "keyed.sql" .}})
GROUP BY k1, k2, k3, reporter
