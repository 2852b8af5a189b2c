-- 0004_market as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE VIEW IF NOT EXISTS listing_group_stats ON CLUSTER 'hitwage' AS
SELECT
    hit_set_id,
    any(s_requester_id) AS requester_id,
    argMax(s_requester_name, s_at) AS requester_name,
    argMax(s_title, s_at) AS title,
    argMax(s_reward, s_at) AS reward,
    argMax(s_allotted, s_at) AS assignment_duration_seconds,
    min(s_at) AS first_seen,
    max(s_at) AS last_seen,
    count() AS snapshots,
    max(s_hits) AS peak_hits,
    toUInt64(argMin(s_hits, s_at)) AS first_hits,
    toUInt64(argMax(s_hits, s_at)) AS last_hits,
    toUInt64(sum(if(s_delta < 0, -s_delta, 0))) AS hits_consumed,
    toUInt64(sum(if(s_delta > 0, s_delta, 0))) AS hits_added,
    first_hits + hits_added AS hits_posted,
    toDecimal128(reward, 2) * toDecimal128(hits_posted, 0) AS reward_posted,
    toUInt64(dateDiff('second', first_seen, last_seen)) AS lifetime_seconds
FROM (
    SELECT
        hit_set_id,
        requester_id AS s_requester_id,
        requester_name AS s_requester_name,
        title AS s_title,
        reward AS s_reward,
        assignment_duration_seconds AS s_allotted,
        crawled_at AS s_at,
        assignable_hits AS s_hits,
        toInt64(assignable_hits) - lagInFrame(toInt64(assignable_hits), 1, toInt64(assignable_hits))
            OVER (PARTITION BY hit_set_id ORDER BY crawled_at ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s_delta
    FROM listing_snapshots
)
GROUP BY hit_set_id;

CREATE VIEW IF NOT EXISTS requester_listing_stats ON CLUSTER 'hitwage' AS
SELECT
    requester_id,
    argMax(g_name, g_last) AS requester_name,
    count() AS groups_posted,
    sum(g_hits_posted) AS hits_posted,
    sum(g_reward_posted) AS reward_posted,
    sum(g_consumed) AS hits_consumed,
    min(g_first) AS first_seen,
    max(g_last) AS last_seen
FROM (
    SELECT requester_id, requester_name AS g_name, hits_posted AS g_hits_posted, reward_posted AS g_reward_posted,
        hits_consumed AS g_consumed, first_seen AS g_first, last_seen AS g_last
    FROM listing_group_stats
)
GROUP BY requester_id;

CREATE VIEW IF NOT EXISTS market_crawls ON CLUSTER 'hitwage' AS
SELECT
    crawl_id,
    min(s_at) AS crawled_at,
    count() AS groups,
    sum(toUInt64(s_hits)) AS hits,
    sum(toDecimal128(s_reward, 2) * toDecimal128(s_hits, 0)) AS reward_available
FROM (SELECT crawl_id, crawled_at AS s_at, assignable_hits AS s_hits, reward AS s_reward FROM listing_snapshots)
GROUP BY crawl_id;

CREATE VIEW IF NOT EXISTS market_hourly ON CLUSTER 'hitwage' AS
SELECT
    toStartOfHour(c_at) AS hour,
    count() AS crawls,
    argMax(c_groups, c_at) AS groups,
    argMax(c_hits, c_at) AS hits,
    argMax(c_reward, c_at) AS reward_available
FROM (SELECT crawled_at AS c_at, groups AS c_groups, hits AS c_hits, reward_available AS c_reward FROM market_crawls)
GROUP BY hour;
