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
    count() AS n,
    sum(secs) AS t_secs,
    sumIf(secs, end_ms IS NOT NULL) AS timed_secs,
    sumIf(secs, end_ms IS NOT NULL AND is_submitted) AS timed_nom_secs,
    sumIf(secs, end_ms IS NULL) AS untimed_secs,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL) AS eff_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL) AS eff_e,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL AND is_submitted) AS nom_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL AND is_submitted) AS nom_e,
    arraySum(arrayMap((eff_gap, eff_open) -> if(eff_open > 0, eff_gap, 0),
        arrayDifference(arraySort(arrayConcat(eff_s, eff_e))),
        arraySlice(arrayPushFront(arrayCumSum(arraySort((eff_d, eff_t) -> eff_t,
            arrayConcat(arrayWithConstant(length(eff_s), toInt64(1)), arrayWithConstant(length(eff_e), toInt64(-1))),
            arrayConcat(eff_s, eff_e))), toInt64(0)), 1, 2 * length(eff_s)))) / 1000 AS eff_merged,
    arraySum(arrayMap((nom_gap, nom_open) -> if(nom_open > 0, nom_gap, 0),
        arrayDifference(arraySort(arrayConcat(nom_s, nom_e))),
        arraySlice(arrayPushFront(arrayCumSum(arraySort((nom_d, nom_t) -> nom_t,
            arrayConcat(arrayWithConstant(length(nom_s), toInt64(1)), arrayWithConstant(length(nom_e), toInt64(-1))),
            arrayConcat(nom_s, nom_e))), toInt64(0)), 1, 2 * length(nom_s)))) / 1000 AS nom_merged,
    eff_merged + untimed_secs AS eff_secs,
    nom_merged + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
    t_secs = 0 OR (eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs) AS ok
FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, requester_id, '', '') AS UInt64) AS kh, requester_id AS k1, '' AS k2, '' AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM wage_run_R_ovl
)
GROUP BY kh, rp
