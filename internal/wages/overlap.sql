-- Reporters whose timed tasks may overlap one another: the only reporters whose merged time can
-- differ from their plain task time, in any scope (a union of intervals that never overlap is their
-- sum). Per reporter, the intervals are sorted by start and folded once with the running latest end;
-- an interval starting before it overlaps. The test runs in whole seconds (start rounded down, end
-- up), so it may also take a reporter whose tasks only touch within a second: a superset is enough,
-- pairs.sql then merges those reporters' tasks exactly, in milliseconds. Each interval is packed into
-- one UInt64 (start second << 20 | length in seconds; unflagged tasks last at most a day, < 2^20 s)
-- so that a single sort of numbers orders them. Seconds count from 1900 (the Unix epoch less
-- 2,208,988,800 s), so that any time since then is a non-negative number that integer division
-- rounds down.
SELECT rp
FROM {{template "records" .}}
WHERE end_ms IS NOT NULL
GROUP BY rp
HAVING count() > 1 AND arrayFold((acc, x) -> (acc.1 OR bitShiftRight(x, 20) < acc.2,
        greatest(acc.2, bitShiftRight(x, 20) + bitAnd(x, 1048575))),
    arraySort(groupArray(bitShiftLeft(toUInt64(intDiv(assumeNotNull(start_ms) + 2208988800000, 1000)), 20)
        + toUInt64(least(intDiv(assumeNotNull(end_ms) + 2208988800999, 1000)
                         - intDiv(assumeNotNull(start_ms) + 2208988800000, 1000), 1048575)))),
    (false, toUInt64(0))).1
