-- HIT groups of one crawl that no other crawl has stored.
SELECT countIf(others = 0)
FROM (
    SELECT hit_set_id, countIf(crawl_id != {crawl:String}) AS others
    FROM listing_snapshots
    WHERE hit_set_id IN (SELECT hit_set_id FROM listing_snapshots WHERE crawl_id = {crawl:String})
    GROUP BY hit_set_id
)
