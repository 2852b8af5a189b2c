-- The title a figures query shows, per HIT group (g_k1 requester, g_k2 HIT group), chosen as
-- names.sql chooses a requester's name: the latest crawled listing snapshot's title, else the title
-- the most distinct reporters gave, then the one received last, then the greater. Included by
-- figures.sql when the scope is keyed by HIT group. Unlike names, every group takes the vote: at
-- 10M records, first finding the groups reported under several titles costs as much as the vote.
SELECT g_k1, g_k2, argMax(g_title, (g_listed, g_reporters, g_last, g_title)) AS f_title
FROM
(
    SELECT requester_id AS g_k1, hit_set_id AS g_k2, toString(title) AS g_title, toUInt8(0) AS g_listed,
        uniqExact(rp) AS g_reporters, max(received_at) AS g_last
    FROM {{template "names_src" .}}
    WHERE title != ''
    GROUP BY requester_id, hit_set_id, title
    UNION ALL
    SELECT requester_id, hit_set_id, argMax(title, crawled_at), 1, 0, max(crawled_at)
    FROM listing_snapshots
    WHERE title != '' AND requester_id IN (SELECT requester_id FROM {{template "names_src" .}})
    GROUP BY requester_id, hit_set_id
)
GROUP BY g_k1, g_k2
