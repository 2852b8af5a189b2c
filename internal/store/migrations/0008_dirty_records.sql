-- wage_dirty counts the records of each insert (records), so that wages.Update can leave a large
-- requester's figures as they are until its new records reach a set share of those counted
-- (wages.Config.StaleShare); the periodic Recompute includes them anyway. Rows written before this
-- step have records = 0, which Update reads as "unknown" and recomputes. The view's query is
-- changed in place (not dropped and created), so no insert meanwhile goes unnoted.
ALTER TABLE wage_dirty {{.OnCluster}} ADD COLUMN IF NOT EXISTS records UInt64 DEFAULT 0;

ALTER TABLE wage_dirty_mv {{.OnCluster}} MODIFY QUERY
SELECT now64(3, 'UTC') AS touched_at, requester_id, count() AS records
FROM task_records
GROUP BY requester_id;
