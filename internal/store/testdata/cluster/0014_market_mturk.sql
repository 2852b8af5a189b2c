-- 0014_market_mturk as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE OR REPLACE VIEW market_crawls ON CLUSTER 'hitwage' AS
SELECT
    crawl_id,
    min(s_at) AS crawled_at,
    count() AS groups,
    sum(toUInt64(s_hits)) AS hits,
    sum(toDecimal128(s_reward, 2) * toDecimal128(s_hits, 0)) AS reward_available
FROM (SELECT crawl_id, crawled_at AS s_at, assignable_hits AS s_hits, reward AS s_reward FROM listing_snapshots
      WHERE source != 'prolific-studies')
GROUP BY crawl_id;
