-- hitwage's first schema: requesters, HIT listing snapshots, worker task records, reviews.
-- Times are DateTime64(3, 'UTC'); money is Decimal, never float.

CREATE TABLE IF NOT EXISTS meta {{.OnCluster}} (
    key String,
    value String,
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

-- One row per requester; the latest name wins.
CREATE TABLE IF NOT EXISTS requesters {{.OnCluster}} (
    requester_id String,
    name String,
    first_seen DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY requester_id;

-- One row per HIT group per crawl. Reads go by requester, by HIT group and by time.
CREATE TABLE IF NOT EXISTS listing_snapshots {{.OnCluster}} (
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
) ENGINE = MergeTree
PARTITION BY toYYYYMM(crawled_at)
ORDER BY (requester_id, hit_set_id, crawled_at);

-- Worker-reported tasks. record_key is the assignment id when known, else a hash of
-- reporter, HIT and accept time; the newest version of a key wins (read with FINAL).
-- reporter is a keyed hash (HMAC-SHA256) of a worker id or token, never the raw id.
CREATE TABLE IF NOT EXISTS task_records {{.OnCluster}} (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (requester_id, record_key);

-- Turkopticon-style reviews: one per reporter per requester, editable (newest wins).
CREATE TABLE IF NOT EXISTS reviews {{.OnCluster}} (
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
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (requester_id, reporter);
