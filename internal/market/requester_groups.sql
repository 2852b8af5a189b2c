-- A requester's HIT groups, most recently seen first. The IN filter is on the view's window
-- partition key, so only this requester's snapshots are read.
SELECT
    hit_set_id, requester_id, requester_name, title, reward,
    toUInt32(assignment_duration_seconds), first_seen, last_seen, toUInt64(snapshots),
    toUInt64(peak_hits), toUInt64(first_hits), toUInt64(last_hits), toUInt64(hits_consumed), toUInt64(hits_added),
    toUInt64(hits_posted), toDecimal128(reward_posted, 2), toUInt64(lifetime_seconds)
FROM listing_group_stats
WHERE hit_set_id IN (SELECT hit_set_id FROM listing_snapshots WHERE requester_id = {rid:String})
ORDER BY last_seen DESC, hit_set_id
LIMIT {n:UInt32}
