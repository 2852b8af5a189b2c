-- Requesters' newest live reviews (live_reviews, migration 0012: each author's latest edit) that
-- readers' flags have not hidden, up to {limit} each, with their public id and whether they are
-- possibly the requester's own (listed, labelled, not counted).
SELECT requester_id, review_id, pay, fairness, communication, promptness, text, tos_violation, broken_task, updated_at, own
FROM live_reviews
WHERE requester_id IN {rids:Array(String)} AND NOT hidden
ORDER BY requester_id, updated_at DESC, review_id
LIMIT {limit:UInt32} BY requester_id
