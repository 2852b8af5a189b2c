-- The (key, reporter) pairs whose time can overlap: two or more records with start and end times.
-- All other pairs' merged time is simply their task time. In dense scopes (the market and its time
-- buckets, and live queries, which read few records) every pair is taken without that test, and the
-- pairs then hold every record's sums: trend.sql reads nothing else. Per pair: the reporter's merged task time,
-- effective (all tasks) and nominal (submitted tasks), and the impossible-overlap test (ok).
-- Included by figures.sql, trend.sql and histogram.sql, or materialized once per scope by Recompute.
--
-- Merging: the pair's [start, end] intervals (ms) are sorted by start and folded once with the state
-- (effective total, current start, current end, nominal total, current start, current end): an
-- interval starting after the current end closes the current run and opens a new one; otherwise it
-- extends the current end. Nominal runs only take submitted tasks. The submitted bit rides in the low
-- bit of the end (e2 = 2 * end + submitted) so one sort orders starts, ends and bits together (equal
-- starts may come in any order: the union does not depend on it). Tasks without times add their own
-- time unmerged.
SELECT
    kh, rp,
    {{- if .Dense}} any(k1) AS k1, any(k2) AS k2, any(k3) AS k3,{{end}}
    count() AS n,
    toFloat64(sum(paid)) AS paid_sum,
    toFloat64(sum(offered)) AS offered_sum,
    sum(secs) AS t_secs,
    sumIf(secs, end_ms IS NOT NULL) AS timed_secs,
    sumIf(secs, end_ms IS NOT NULL AND is_submitted) AS timed_nom_secs,
    sumIf(secs, end_ms IS NULL) AS untimed_secs,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL) AS s0,
    groupArrayIf(assumeNotNull(end_ms) * 2 + is_submitted, end_ms IS NOT NULL) AS e0,
    arrayFold((acc, s, e2) -> (
            if(s > acc.3, acc.1 + acc.3 - acc.2, acc.1),
            if(s > acc.3, s, acc.2),
            if(s > acc.3, intDiv(e2, 2), greatest(acc.3, intDiv(e2, 2))),
            if(e2 % 2 = 1 AND s > acc.6, acc.4 + acc.6 - acc.5, acc.4),
            if(e2 % 2 = 1 AND s > acc.6, s, acc.5),
            if(e2 % 2 = 1, if(s > acc.6, intDiv(e2, 2), greatest(acc.6, intDiv(e2, 2))), acc.6)),
        arraySort(s0), arraySort((e2, s) -> s, e0, s0),
        (toInt64(0), toInt64(0), toInt64(0), toInt64(0), toInt64(0), toInt64(0))) AS fold,
    (fold.1 + fold.3 - fold.2) / 1000 AS eff_merged,
    (fold.4 + fold.6 - fold.5) / 1000 AS nom_merged,
    eff_merged + untimed_secs AS eff_secs,
    nom_merged + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
    eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs AS ok
FROM ({{template "keyed.sql" .}})
{{- if not .Dense}}
WHERE (kh, rp) IN (
    SELECT kh, rp FROM ({{template "keyed.sql" .}}) WHERE end_ms IS NOT NULL GROUP BY kh, rp HAVING count() > 1)
{{- end}}
GROUP BY kh, rp
