-- Reporters whose timed tasks may overlap one another: the only reporters whose merged time can
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
FROM {{template "records" .}}
WHERE end_ms IS NOT NULL
GROUP BY rp
HAVING count() > 1 AND arrayMax(arrayCumSum(arraySort((d, t) -> (t, d),
        arrayConcat(arrayMap(x -> toInt64(1), ov_s), arrayMap(x -> toInt64(-1), ov_e)),
        arrayConcat(ov_s, ov_e)))) > 1
