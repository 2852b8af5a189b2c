-- One requester's posting volume.
SELECT requester_id, requester_name, toUInt64(groups_posted), toUInt64(hits_posted), toDecimal128(reward_posted, 2),
    toUInt64(hits_consumed), first_seen, last_seen
FROM requester_listing_stats
WHERE requester_id = {rid:String}
