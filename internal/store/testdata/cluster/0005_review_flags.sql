-- 0005_review_flags as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE reviews_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS tos_violation Bool DEFAULT false;

ALTER TABLE reviews ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS tos_violation Bool DEFAULT false;

ALTER TABLE reviews_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS broken_task Bool DEFAULT false;

ALTER TABLE reviews ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS broken_task Bool DEFAULT false;

CREATE TABLE IF NOT EXISTS review_history_local ON CLUSTER 'hitwage' (
    requester_id String,
    reporter String,
    pay UInt8,
    fairness UInt8,
    communication UInt8,
    promptness UInt8,
    text String,
    tos_violation Bool,
    broken_task Bool,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    deleted UInt8
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
ORDER BY (requester_id, reporter, updated_at);

CREATE TABLE IF NOT EXISTS review_history ON CLUSTER 'hitwage' AS review_history_local
ENGINE = Distributed('hitwage', 'hitwage', 'review_history_local', cityHash64(requester_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS review_history_mv ON CLUSTER 'hitwage' TO review_history_local AS
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted
FROM reviews_local;

INSERT INTO review_history
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted
FROM reviews
WHERE (requester_id, reporter, updated_at) NOT IN (SELECT requester_id, reporter, updated_at FROM review_history);
