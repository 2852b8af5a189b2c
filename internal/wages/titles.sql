-- The title, reward and time allotted a figures query shows, per HIT group (g_k1 requester, g_k2
-- HIT group), chosen as names.sql chooses a requester's name, so that a few reports cannot retitle a
-- group or change its reward (and with it the bonus owed): the latest crawled listing snapshot's,
-- else the version of the HIT (title, reward, allotted time) the most distinct reporters gave, then
-- the one received last, then the greater. A version without a title takes part in the reward vote
-- but not in the title's. Included by figures.sql when the scope is keyed by HIT group. Unlike
-- names, every group takes the vote: at 10M records, first finding the groups reported in several
-- versions costs as much as the vote. The versions are grouped by two 64-bit hashes (group, version)
-- rather than by their five columns, several times cheaper; a collision would take two of a
-- group's versions to share a hash.
SELECT g_k1, g_k2,
    argMaxIf(g_title, (g_listed, g_reporters, g_last, g_title, g_reward, g_allotted), g_title != '') AS f_title,
    argMax(g_reward, (g_listed, g_reporters, g_last, g_reward, g_allotted, g_title)) AS f_vote_reward,
    argMax(g_allotted, (g_listed, g_reporters, g_last, g_reward, g_allotted, g_title)) AS f_vote_allotted
FROM
(
    SELECT any(requester_id) AS g_k1, any(hit_set_id) AS g_k2, toString(any(title)) AS g_title,
        toFloat64(any(reward)) AS g_reward, any(allotted_seconds) AS g_allotted, toUInt8(0) AS g_listed,
        uniqExact(rq) AS g_reporters, max(received_at) AS g_last
    FROM {{template "records" .}}
    GROUP BY cityHash64(requester_id, hit_set_id), cityHash64(title, reward, allotted_seconds)
    UNION ALL
    SELECT requester_id, hit_set_id, argMaxIf(title, crawled_at, title != ''), argMax(toFloat64(reward), crawled_at),
        argMax(assignment_duration_seconds, crawled_at), 1, 0, max(crawled_at)
    FROM listing_snapshots
    WHERE NOT reported -- reporters' words, not the platform's (names.sql)
        AND requester_id IN (SELECT requester_id FROM {{template "records" .}})
    GROUP BY requester_id, hit_set_id
)
GROUP BY g_k1, g_k2
