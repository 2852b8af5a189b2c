-- The (key, reporter) pairs of the reporters whose tasks may overlap (overlap.sql): every other
-- pair's merged time is simply its task time, and its reporter cannot overlap impossibly (a live
-- query, which reads few records, folds every pair instead of reading them once more). Per
-- pair: the reporter's merged task time, effective (all tasks) and nominal (submitted tasks), and
-- the impossible-overlap test (ok); a live query's pairs also carry their keys and pay for trend.sql.
-- Included by figures.sql, trend.sql and histogram.sql, or materialized once
-- per scope by a run, from the run's table of those reporters' records (Overlaps). A run without
-- tables (server mode) finds those reporters once and binds them ({ovl}, OverlapSet).
--
-- Merging: the pair's merged time is the length of the union of its [start, end] intervals (ms),
-- found by a sweep: every start counts +1 and every end -1, in order of time, and a stretch between
-- two consecutive times is covered while the running count is above 0 (at equal times the order
-- does not change the length). Nominal time is the union of the submitted tasks' intervals. Tasks
-- without times add their own time unmerged. (A fold over the sorted intervals gave the same
-- figures but cost the engine about 23 microseconds an interval, against well under one here: a
-- reporter with thousands of overlapping tasks made a recompute's market scopes 20 times slower.)
SELECT
    kh, rp,
    {{- if .Live}} any(k1) AS k1, any(k2) AS k2, any(k3) AS k3, any(platform) AS p_platform, any(cur) AS p_cur, any(rq) AS p_rq,
    toFloat64(sum(paid)) AS paid_sum,
    toFloat64(sum(offered)) AS offered_sum,
    countIf(NOT timed) AS n_untimed,
    toFloat64(sum(u_offered)) AS u_offered_sum,{{end}}
    count() AS n,
    sum(secs) AS t_secs,
    sumIf(secs, end_ms IS NOT NULL) AS timed_secs,
    sumIf(secs, end_ms IS NOT NULL AND is_submitted) AS timed_nom_secs,
    sumIf(secs, end_ms IS NULL) AS untimed_secs,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL) AS eff_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL) AS eff_e,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL AND is_submitted) AS nom_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL AND is_submitted) AS nom_e,
    {{template "union" "eff"}} / 1000 AS eff_merged,
    {{template "union" "nom"}} / 1000 AS nom_merged,
    eff_merged + untimed_secs AS eff_secs,
    nom_merged + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
    t_secs = 0 OR (eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs) AS ok
FROM ({{template "keyed.sql" .PairSource}})
{{- if not (or .Overlaps .Live)}}
WHERE rp IN {{if .OverlapSet}}(SELECT arrayJoin({ovl:Array(UInt64)})){{else}}(SELECT rp FROM ({{template "overlap.sql" .}})){{end}}
{{- end}}
GROUP BY kh, rp
{{- /* The length of the union of the intervals [P_s[i], P_e[i]] (P the argument): the sweep above.
Each stretch between consecutive times pairs with the running count before it (the counts shifted
one to the right, the first stretch, of length 0, with 0). */}}
{{define "union"}}arraySum(arrayMap(({{.}}_gap, {{.}}_open) -> if({{.}}_open > 0, {{.}}_gap, 0),
        arrayDifference(arraySort(arrayConcat({{.}}_s, {{.}}_e))),
        arraySlice(arrayPushFront(arrayCumSum(arraySort(({{.}}_d, {{.}}_t) -> {{.}}_t,
            arrayConcat(arrayWithConstant(length({{.}}_s), toInt64(1)), arrayWithConstant(length({{.}}_e), toInt64(-1))),
            arrayConcat({{.}}_s, {{.}}_e))), toInt64(0)), 1, 2 * length({{.}}_s)))){{end}}
