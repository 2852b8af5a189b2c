-- The listing facts of the HIT group to estimate: its latest title, reward and allotted time.
SELECT requester_id, argMax(title, crawled_at), argMax(reward, crawled_at), toUInt32(argMax(assignment_duration_seconds, crawled_at))
FROM listing_snapshots
WHERE hit_set_id = {id:String}
GROUP BY requester_id
ORDER BY max(crawled_at) DESC
LIMIT 1
