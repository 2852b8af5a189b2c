-- The market views (0004) describe MTurk's HIT list as its crawls saw it. Since 0013 the listing
-- snapshots also hold Prolific's study listings (source 'prolific-studies': relayed by participants'
-- userscripts or imported from saved files, not crawls of a whole market, in pounds as well as
-- dollars), which must not count as an MTurk crawl's groups, HITs or reward.
CREATE OR REPLACE VIEW market_crawls {{.OnCluster}} AS
SELECT
    crawl_id,
    min(s_at) AS crawled_at,
    count() AS groups,
    sum(toUInt64(s_hits)) AS hits,
    sum(toDecimal128(s_reward, 2) * toDecimal128(s_hits, 0)) AS reward_available
FROM (SELECT crawl_id, crawled_at AS s_at, assignable_hits AS s_hits, reward AS s_reward FROM listing_snapshots
      WHERE source != 'prolific-studies')
GROUP BY crawl_id;
