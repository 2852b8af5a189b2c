-- A HIT group's snapshots, newest first (the caller puts them in time order).
SELECT crawled_at, toUInt64(assignable_hits), reward
FROM listing_snapshots
WHERE hit_set_id = {id:String}
ORDER BY crawled_at DESC
LIMIT {n:UInt32}
