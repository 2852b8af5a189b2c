-- 0000_schema_migrations as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER 'hitwage' (
    version UInt32,
    name String,
    state Enum8('started' = 1, 'done' = 2),
    owner String,
    at DateTime64(3, 'UTC')
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{uuid}/all', '{shard}_{replica}')
ORDER BY (version, at);
