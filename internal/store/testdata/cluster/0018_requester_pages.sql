-- 0018_requester_pages as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE TABLE IF NOT EXISTS requester_pages_local ON CLUSTER 'hitwage' (
    requester_id String,
    figures_at DateTime64(3, 'UTC'),
    built_at DateTime64(3, 'UTC'),
    parts String CODEC(ZSTD(3))
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', built_at)
ORDER BY requester_id
SETTINGS index_granularity = 8;

CREATE TABLE IF NOT EXISTS requester_pages ON CLUSTER 'hitwage' AS requester_pages_local
ENGINE = Distributed('hitwage', 'hitwage', 'requester_pages_local', cityHash64(requester_id));
