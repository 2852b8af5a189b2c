-- Requesters that received records since {since} and whose figures do not yet include them: the
-- newest insert stamp of a requester (wage_dirty) is later than its figures' computed_at. A requester
-- without figures has computed_at 0 (LEFT JOIN default) and is included.
SELECT d.requester_id, d.touched
FROM
(
    SELECT requester_id, max(touched_at) AS touched
    FROM wage_dirty
    WHERE touched_at > {since:DateTime64(3, 'UTC')}
    GROUP BY requester_id
) AS d
LEFT JOIN
(
    SELECT requester_id, max(computed_at) AS computed
    FROM wage_figures
    WHERE scope = 'requester'
      AND requester_id IN (SELECT requester_id FROM wage_dirty WHERE touched_at > {since:DateTime64(3, 'UTC')})
    GROUP BY requester_id
) AS f ON d.requester_id = f.requester_id
WHERE d.touched > f.computed
ORDER BY d.requester_id
