-- 0017_listing_reported as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS reported Bool
    MATERIALIZED crawl_id = 'relay' OR startsWith(crawl_id, 'upload:');

ALTER TABLE listing_snapshots ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS reported Bool
    MATERIALIZED crawl_id = 'relay' OR startsWith(crawl_id, 'upload:');

ALTER TABLE listing_snapshots_local ON CLUSTER 'hitwage' MATERIALIZE COLUMN reported;
