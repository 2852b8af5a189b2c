-- 0002_ingest as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE TABLE IF NOT EXISTS ingest_tokens ON CLUSTER 'hitwage' (
    token_id String,
    token_hash String,
    label String,
    created_at DateTime64(3, 'UTC'),
    revoked_at Nullable(DateTime64(3, 'UTC')),
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/all', '{shard}_{replica}', updated_at)
ORDER BY token_id;

CREATE TABLE IF NOT EXISTS forum_posts ON CLUSTER 'hitwage' (
    post_url String,
    thread_url String,
    author String,
    posted_at Nullable(DateTime64(3, 'UTC')),
    exports UInt16,
    records UInt16,
    unparsed String,
    crawled_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/all', '{shard}_{replica}', crawled_at)
ORDER BY post_url;
