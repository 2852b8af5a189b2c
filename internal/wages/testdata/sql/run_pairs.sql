-- The (key, reporter) pairs of the reporters whose tasks may overlap (overlap.sql): every other
-- pair's merged time is simply its task time, and its reporter cannot overlap impossibly (a live
-- query, which reads few records, folds every pair instead of reading them once more). Per
-- pair: the reporter's merged task time, effective (all tasks) and nominal (submitted tasks), and
-- the impossible-overlap test (ok); a live query's pairs also carry their keys and pay for trend.sql.
-- Included by figures.sql, trend.sql and histogram.sql, or materialized once
-- per scope by a run, from the run's table of those reporters' records (Overlaps). A run without
-- tables (server mode) finds those reporters once and binds them ({ovl}, OverlapSet).
--
-- Merging: the pair's [start, end] intervals (ms) are sorted by start and folded once with the state
-- (effective total, current start, current end, nominal total, current start, current end; the
-- runs start far before any time, so the first interval opens the first real run): an
-- interval starting after the current end closes the current run and opens a new one; otherwise it
-- extends the current end. Nominal runs only take submitted tasks. The submitted bit rides in the low
-- bit of the end (e2 = 2 * end + submitted) so one sort orders starts, ends and bits together (equal
-- starts may come in any order: the union does not depend on it). Tasks without times add their own
-- time unmerged.
SELECT
    kh, rp,
    count() AS n,
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
        (toInt64(0), toInt64(-4611686018427387904), toInt64(-4611686018427387904),
         toInt64(0), toInt64(-4611686018427387904), toInt64(-4611686018427387904))) AS fold,
    (fold.1 + fold.3 - fold.2) / 1000 AS eff_merged,
    (fold.4 + fold.6 - fold.5) / 1000 AS nom_merged,
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
