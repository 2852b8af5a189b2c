-- The records of a run's table ({{.Src}}) that overlap another record of the same reporter: the only
-- records whose time merging can change, in any scope. A record that overlaps none of its reporter's
-- other records overlaps none in any subset of them either, so every pair (key, reporter) merges to
-- the plain sum of its other records plus the merge of these (pairs.sql reads only these;
-- pairs_ok.sql then tests impossible overlap against the pair's whole time).
--
-- Per reporter (only those overlap.sql names), sorted by start: a record overlaps when it starts
-- before the latest end of the records sorted before it, or ends after the next one starts.
-- Touching intervals (start = the other's end) do not overlap, as in pairs.sql's fold. Comparisons
-- with the missing neighbour of the first or last record are NULL, so false.
-- In realistic exports many workers keep a queue of several tasks open, so most reporters have
-- some overlap, but few of their records: folding only these is several times less work.
SELECT * EXCEPT (o_prev_end, o_next_start)
FROM
(
    SELECT *,
        max(end_ms) OVER (PARTITION BY rp ORDER BY start_ms, end_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS o_prev_end,
        leadInFrame(start_ms) OVER (PARTITION BY rp ORDER BY start_ms, end_ms ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS o_next_start
    FROM {{.Src}}
    WHERE end_ms IS NOT NULL AND rp IN (SELECT rp FROM ({{template "overlap.sql" .}}))
)
WHERE start_ms < o_prev_end OR end_ms > o_next_start
