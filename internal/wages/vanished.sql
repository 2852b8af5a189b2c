-- Figures a Recompute stamped {at} no longer writes: the keys (requesters, HIT groups, trend buckets)
-- whose newest row is older than it, because every record they had became flagged (or was
-- re-reported under another key). Recompute deletes them so a requester without countable records
-- is not shown with its old figures. Nearly always empty.
-- A concurrent Update's figures of a requester whose records were committed just after the
-- Recompute read them (stamped before {at}) may go too: they are back with the next Update, whose
-- watermark the Recompute set back by the slack.
SELECT scope, requester_id, hit_set_id, bucket, platform, currency
FROM wage_figures
GROUP BY scope, requester_id, hit_set_id, bucket, platform, currency
HAVING max(computed_at) < {at:DateTime64(3, 'UTC')}
