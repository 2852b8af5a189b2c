-- Requesters that received records since {since} and whose figures do not yet include them: the
-- newest insert stamp of a requester (wage_dirty) is later than its figures' computed_at. A requester
-- without figures has computed_at 0 and counted 0 (LEFT JOIN defaults) and is included.
--
-- Bounded staleness: a requester whose figures count many records is recomputed only once the
-- records inserted since its figures (fresh) reach {stale_share} of those counted (a 10,000-record
-- batch adds ~0.1 % to every requester in proportion, so a large requester would otherwise be read
-- whole for figures that move by a thousandth). {stale_share} = 0 recomputes every requester that
-- received records. Insert rows without a count (records = 0, written before wage_dirty counted)
-- always qualify. A requester's figures are at least as new as the last Recompute (or it has
-- none, when all its records are flagged), so only the insert rows after it ({floor}) are read.
-- The defaults of the LEFT JOIN (0, not NULL) are set here, whatever a server's profile says. The
-- requesters' figures are filtered by the set of touched requesters as rows are read, not looked up
-- by primary key: analysing a few thousand keys against the table's granules costs more than
-- scanning every requester's row, and for the few requesters of a small batch the two cost the same.
SELECT d.requester_id, max(d.touched_at) AS touched
FROM
(
    SELECT requester_id, touched_at, records
    FROM wage_dirty
    WHERE touched_at > {floor:DateTime64(3, 'UTC')}
) AS d
LEFT JOIN
(
    SELECT requester_id, max(computed_at) AS computed, argMax(records, computed_at) AS counted
    FROM wage_figures
    WHERE scope = 'requester'
      AND requester_id IN (SELECT requester_id FROM wage_dirty WHERE touched_at > {since:DateTime64(3, 'UTC')})
    GROUP BY requester_id
) AS f ON d.requester_id = f.requester_id
WHERE d.touched_at > f.computed
GROUP BY d.requester_id
HAVING max(d.touched_at) > {since:DateTime64(3, 'UTC')}
   AND (any(f.counted) = 0 OR min(d.records) = 0 OR sum(d.records) >= {stale_share:Float64} * any(f.counted))
ORDER BY d.requester_id
SETTINGS join_use_nulls = 0, use_index_for_in_with_subqueries = 0
