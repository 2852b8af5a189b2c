-- The requesters whose kept page row is missing or stale: those with figures or reviews whose
-- row was made from other figures (figures_at is not their latest computation), or before a
-- review or a reader's flag of theirs was stored, or within two seconds before (built_at is when
-- its reads began; a review stored by another process just before them may not have been visible
-- to them yet). Rows of requesters that no longer have either are left: their
-- figures_at matches no figures, so no page uses them. Not seen here (docs/benchmarks.md, "Kept
-- page rows"): a review's "possibly the requester's own" label moving with its token's share of
-- reports elsewhere, and records that did not reach the update's stale share; the full recompute
-- stamps every requester anew, so every row is made again at least that often.
SELECT a.requester_id
FROM (
    SELECT requester_id, max(f) AS figures_at, max(c) AS changed_at
    FROM (
        SELECT requester_id, computed_at AS f, toDateTime64(0, 3, 'UTC') AS c FROM wage_figures WHERE scope = 'requester'
        UNION ALL
        SELECT requester_id, toDateTime64(0, 3, 'UTC'), updated_at FROM reviews
        UNION ALL
        SELECT requester_id, toDateTime64(0, 3, 'UTC'), at FROM review_flags
    )
    GROUP BY requester_id
) AS a
LEFT JOIN (
    SELECT requester_id, argMax(figures_at, built_at) AS kept_figures, max(built_at) AS built
    FROM requester_pages
    GROUP BY requester_id
) AS k ON k.requester_id = a.requester_id
WHERE k.requester_id = '' OR k.kept_figures != a.figures_at OR a.changed_at >= k.built - INTERVAL 2 SECOND
ORDER BY a.requester_id
