-- A run's (key, reporter) pairs (wage_run_R_requester_a: pairs.sql over the overlapping records alone, see
-- overlapping.sql) with the impossible-overlap test made over the pair's whole time. A pair's other
-- records add their time unmerged, so its merged time is its whole task time t_all less what merging
-- its overlapping records saved. A pair that passes on its overlapping records alone passes with the
-- rest too (adding t to both sides of t_a <= M * merged_a keeps it true for M >= 1); only the pairs that
-- fail (rare: impossible overlap) need their whole time, read here for their reporters only.
SELECT p.kh AS kh, p.rp AS rp, p.timed_secs AS timed_secs, p.timed_nom_secs AS timed_nom_secs,
    p.eff_merged AS eff_merged, p.nom_merged AS nom_merged,
    p.ok OR (a.t_all - (p.timed_secs - p.eff_merged) > 0
             AND a.t_all <= {max_overlap:Float64} * (a.t_all - (p.timed_secs - p.eff_merged))) AS ok
FROM wage_run_R_requester_a AS p
LEFT JOIN
(
    SELECT kh AS a_kh, rp AS a_rp, sum(secs) AS t_all
    FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, requester_id, '', '') AS UInt64) AS kh, requester_id AS k1, '' AS k2, '' AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM wage_run_R
)
    WHERE rp IN (SELECT rp FROM wage_run_R_requester_a WHERE NOT ok)
    GROUP BY kh, rp
) AS a ON p.kh = a.a_kh AND p.rp = a.a_rp
SETTINGS join_use_nulls = 0
