-- An update's records (the requesters of Where) from the records cache of the last full recompute
-- (recordCache: wage_run_CACHE holds the unflagged newest versions that recompute copied, wage_run_CACHE_flagged
-- the identities and versions of the flagged ones) and from the parts written since (wage_run_R_fresh:
-- source.sql's Fresh rows of those requesters), as FINAL over every part gives them.
--
-- The parts written since are those holding a block above the cache's mark. A part merged since
-- from blocks on both sides of the mark is one of them, so a fresh row may be older than the cached
-- version of its record; a part's blocks are consecutive, so a fresh row of a block the cache also
-- read is the newest of the blocks it shares with the cached one. Per record (rk), the newer version
-- wins and, of equal versions, the fresh row (a later block, or the same row): a cached record stays
-- unless a fresh row of it is at least as new; a fresh row counts when it is unflagged and at least
-- as new as the cached version, flagged or not (a newer flagged version removes a record). Missing
-- matches read as version 0 (join_use_nulls = 0), older than any: versions are receive times in
-- nanoseconds.
SELECT c.*
FROM (SELECT * FROM wage_run_CACHE WHERE 1 AND requester_id IN {rids:Array(String)}) AS c
LEFT JOIN (SELECT rk, version AS f_version FROM wage_run_R_fresh) AS f ON c.rk = f.rk
WHERE f.f_version < c.version
UNION ALL
SELECT f.* EXCEPT (flag)
FROM wage_run_R_fresh AS f
LEFT JOIN
(
    SELECT rk, max(version) AS c_version
    FROM
    (
        SELECT rk, version FROM wage_run_CACHE WHERE rk IN (SELECT rk FROM wage_run_R_fresh)
        UNION ALL
        SELECT rk, version FROM wage_run_CACHE_flagged WHERE rk IN (SELECT rk FROM wage_run_R_fresh)
    )
    GROUP BY rk
) AS c ON f.rk = c.rk
WHERE f.flag = '' AND f.version >= c.c_version
SETTINGS join_use_nulls = 0
