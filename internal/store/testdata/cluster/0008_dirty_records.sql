-- 0008_dirty_records as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE wage_dirty_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS records UInt64 DEFAULT 0;

ALTER TABLE wage_dirty ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS records UInt64 DEFAULT 0;

ALTER TABLE wage_dirty_mv ON CLUSTER 'hitwage' MODIFY QUERY
SELECT now64(3, 'UTC') AS touched_at, requester_id, count() AS records
FROM task_records_local
GROUP BY requester_id;
