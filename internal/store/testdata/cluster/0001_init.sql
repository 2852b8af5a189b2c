-- 0001_init as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

CREATE TABLE IF NOT EXISTS meta ON CLUSTER 'hitwage' (
    key String,
    value String,
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/all', '{shard}_{replica}', updated_at)
ORDER BY key;

CREATE TABLE IF NOT EXISTS requesters_local ON CLUSTER 'hitwage' (
    requester_id String,
    name String,
    first_seen DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', updated_at)
ORDER BY requester_id;

CREATE TABLE IF NOT EXISTS requesters ON CLUSTER 'hitwage' AS requesters_local
ENGINE = Distributed('hitwage', 'hitwage', 'requesters_local', cityHash64(requester_id));

CREATE TABLE IF NOT EXISTS listing_snapshots_local ON CLUSTER 'hitwage' (
    crawled_at DateTime64(3, 'UTC'),
    crawl_id String,
    hit_set_id String,
    requester_id String,
    requester_name String,
    title String,
    description String,
    keywords String,
    reward Decimal(10, 2),
    currency LowCardinality(String),
    assignment_duration_seconds UInt32,
    assignable_hits UInt32,
    created_at Nullable(DateTime64(3, 'UTC')),
    expires_at Nullable(DateTime64(3, 'UTC')),
    qualifications String,
    source LowCardinality(String),
    INDEX hit_set_idx hit_set_id TYPE bloom_filter GRANULARITY 4,
    INDEX crawled_idx crawled_at TYPE minmax GRANULARITY 1
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
PARTITION BY toYYYYMM(crawled_at)
ORDER BY (requester_id, hit_set_id, crawled_at);

CREATE TABLE IF NOT EXISTS listing_snapshots ON CLUSTER 'hitwage' AS listing_snapshots_local
ENGINE = Distributed('hitwage', 'hitwage', 'listing_snapshots_local', cityHash64(requester_id));

CREATE TABLE IF NOT EXISTS task_records_local ON CLUSTER 'hitwage' (
    requester_id String,
    record_key String,
    reporter String,
    hit_set_id String,
    hit_id String,
    assignment_id String,
    requester_name String,
    title String,
    reward Decimal(10, 2),
    bonus Decimal(10, 2),
    accepted_at Nullable(DateTime64(3, 'UTC')),
    finished_at Nullable(DateTime64(3, 'UTC')),
    duration_seconds UInt32,
    status Enum8('submitted' = 1, 'pending' = 2, 'approved' = 3, 'rejected' = 4, 'returned' = 5, 'abandoned' = 6),
    decided_at Nullable(DateTime64(3, 'UTC')),
    allotted_seconds UInt32,
    source String,
    received_at DateTime64(3, 'UTC'),
    version UInt64,
    INDEX hit_set_idx hit_set_id TYPE bloom_filter GRANULARITY 4,
    INDEX reporter_idx reporter TYPE bloom_filter GRANULARITY 4
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', version)
ORDER BY (requester_id, record_key);

CREATE TABLE IF NOT EXISTS task_records ON CLUSTER 'hitwage' AS task_records_local
ENGINE = Distributed('hitwage', 'hitwage', 'task_records_local', cityHash64(requester_id));

CREATE TABLE IF NOT EXISTS reviews_local ON CLUSTER 'hitwage' (
    requester_id String,
    reporter String,
    pay UInt8,
    fairness UInt8,
    communication UInt8,
    promptness UInt8,
    text String,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    deleted UInt8
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', updated_at)
ORDER BY (requester_id, reporter);

CREATE TABLE IF NOT EXISTS reviews ON CLUSTER 'hitwage' AS reviews_local
ENGINE = Distributed('hitwage', 'hitwage', 'reviews_local', cityHash64(requester_id));
