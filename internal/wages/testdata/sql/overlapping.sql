-- The records of a run's table (wage_run_R) that overlap another record of the same reporter: the only
-- records whose time merging can change, in any scope. A record that overlaps none of its reporter's
-- other records overlaps none in any subset of them either, so every pair (key, reporter) merges to
-- the plain sum of its other records plus the merge of these (pairs.sql reads only these;
-- pairs_ok.sql then tests impossible overlap against the pair's whole time). In realistic exports
-- many workers keep a queue of several tasks open, so most reporters overlap somewhere, but few of
-- their records do: folding only these is several times less work.
--
-- Per reporter (only those overlap.sql names), a sweep over its intervals' events: +1 at each start,
-- -1 at each end, sorted by time with an end before a start at the same moment (touching intervals
-- do not overlap, as in pairs.sql's fold). The running sum after a start counts the intervals open
-- then, itself included; the running count of starts tells how many began while it was open. An
-- interval overlaps another when more than it was open at its start (a) or some other started
-- before its end (s2 > s1). Every step is an array function without captured arrays (a lambda that
-- reads an outer array copies it per element): sort the events' numbers by (time, kind), run the
-- sums, and put them back in event order by sorting them by that permutation.
-- The records are then picked by (reporter, start, end): records with the same interval overlap each
-- other, so they are all picked or none.
SELECT *
FROM wage_run_R
WHERE end_ms IS NOT NULL AND (rp, assumeNotNull(start_ms), assumeNotNull(end_ms)) IN
(
    SELECT rp, o.1, o.2
    FROM
    (
        SELECT rp,
            groupArray(assumeNotNull(start_ms)) AS s,
            groupArray(assumeNotNull(end_ms)) AS e,
            length(s) AS n,
            arrayConcat(s, e) AS t,
            arrayConcat(arrayWithConstant(n, toInt8(1)), arrayWithConstant(n, toInt8(-1))) AS d,
            arraySort((i, tt, dd) -> (tt, dd), range(1, 2 * n + 1), t, d) AS p,
            arraySort((dd, tt) -> (tt, dd), d, t) AS sorted_d,
            arraySort((v, pp) -> pp, arrayCumSum(sorted_d), p) AS open_at,
            arraySort((v, pp) -> pp, arrayCumSum(arrayMap(x -> toInt64(x > 0), sorted_d)), p) AS starts_at,
            arrayFilter((iv, a, s1, s2) -> a > 1 OR s2 > s1, arrayZip(s, e), arraySlice(open_at, 1, n),
                arraySlice(starts_at, 1, n), arraySlice(starts_at, n + 1, n)) AS picked
        FROM wage_run_R
        WHERE end_ms IS NOT NULL AND rp IN (SELECT rp FROM (-- Reporters whose timed tasks may overlap one another: the only reporters whose merged time can
-- differ from their plain task time, in any scope (a union of intervals that never overlap is their
-- sum). Per reporter, a sweep over its intervals in order of time (every start +1, every end -1,
-- ends first at equal times, so that tasks which only touch do not overlap) finds whether two are
-- ever open at once. The test runs in whole seconds (start rounded down, end up, and at least one
-- second long), so it may also take a reporter whose tasks only touch within a second: a superset
-- is enough, pairs.sql then merges those reporters' tasks exactly, in milliseconds. Seconds count
-- from 1900 (the Unix epoch less 2,208,988,800 s), so that any time since then is a non-negative
-- number that integer division rounds down. (A fold over the sorted intervals cost the engine about
-- 23 microseconds an interval: see pairs.sql.)
WITH
    groupArray(intDiv(assumeNotNull(start_ms) + 2208988800000, 1000)) AS ov_s,
    groupArray(greatest(intDiv(assumeNotNull(end_ms) + 2208988800999, 1000),
                        intDiv(assumeNotNull(start_ms) + 2208988800000, 1000) + 1)) AS ov_e
SELECT rp
FROM wage_run_R
WHERE end_ms IS NOT NULL
GROUP BY rp
HAVING count() > 1 AND arrayMax(arrayCumSum(arraySort((d, t) -> (t, d),
        arrayConcat(arrayMap(x -> toInt64(1), ov_s), arrayMap(x -> toInt64(-1), ov_e)),
        arrayConcat(ov_s, ov_e)))) > 1
))
        GROUP BY rp
    )
    ARRAY JOIN picked AS o
)
