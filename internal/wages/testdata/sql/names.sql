-- The requester name a figures query shows, per requester (n_k1), chosen so that a few reports
-- cannot rename a requester: the name MTurk's listings give it (the requesters table or the latest
-- crawled listing snapshot, whichever is newer), else the name the most distinct reporters gave,
-- then the one received last, then the greater (so the choice never depends on read order). Empty
-- names are no candidates. Included by figures.sql when the scope is keyed by requester.
--
-- Study listings a participant's userscript relayed (crawl 'relay') or a worker uploaded (crawl
-- 'upload:<file>') are reporters' words, not the platform's: they name no one here (a token could
-- otherwise rename a researcher with one made-up listing); crawls and the operator's imports do.
--
-- Nearly every requester is reported under one name, which needs no vote: only the records of
-- requesters reported under several names are grouped by name and counted by reporter (finding
-- them costs a fraction of a vote over every record). The
-- requesters table holds a row per requester and is read whole; listing snapshots pile up per
-- crawl, so only the requesters read here are looked up (by primary key).
SELECT n_k1, argMax(n_name, (n_listed, n_reporters, n_last, n_name)) AS f_requester_name
FROM
(
    SELECT requester_id AS n_k1, toString(any(requester_name)) AS n_name, toUInt8(0) AS n_listed,
        toUInt64(0) AS n_reporters, max(received_at) AS n_last
    FROM wage_run_R
    WHERE requester_name != ''
    GROUP BY requester_id
    HAVING min(cityHash64(requester_name)) = max(cityHash64(requester_name))
    UNION ALL
    SELECT requester_id, toString(requester_name), 0, uniqExact(rq), max(received_at)
    FROM wage_run_R
    WHERE requester_name != '' AND requester_id IN (
        SELECT requester_id FROM wage_run_R WHERE requester_name != '' GROUP BY requester_id
        HAVING min(cityHash64(requester_name)) != max(cityHash64(requester_name)))
    GROUP BY requester_id, requester_name
    UNION ALL
    SELECT requester_id, argMax(requester_name, crawled_at), 1, 0, max(crawled_at)
    FROM listing_snapshots
    WHERE requester_name != '' AND NOT reported
        AND requester_id IN (SELECT requester_id FROM wage_run_R)
    GROUP BY requester_id
    UNION ALL
    SELECT requester_id, argMax(name, updated_at), 1, 0, max(updated_at)
    FROM requesters
    WHERE name != ''
    GROUP BY requester_id
)
GROUP BY n_k1
