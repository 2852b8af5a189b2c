-- Review flags (issue 4): a worker can flag a requester for a terms-of-service violation or a
-- broken task, with or without ratings. Rows written before this step read as unflagged.
ALTER TABLE reviews {{.OnCluster}} ADD COLUMN IF NOT EXISTS tos_violation Bool DEFAULT false;
ALTER TABLE reviews {{.OnCluster}} ADD COLUMN IF NOT EXISTS broken_task Bool DEFAULT false;

-- reviews is a ReplacingMergeTree(updated_at): a background merge keeps only each reporter's newest
-- row per requester, so an edit or a withdrawal erases the earlier text. review_history keeps every
-- version written (edits and withdrawal tombstones alike), fed on insert by the view below. It is
-- never published; it is the record of what was said and when.
CREATE TABLE IF NOT EXISTS review_history {{.OnCluster}} (
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
) ENGINE = MergeTree
ORDER BY (requester_id, reporter, updated_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS review_history_mv {{.OnCluster}} TO review_history AS
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted
FROM reviews;

-- The versions written before this step that merges have not collapsed yet; rerunning copies nothing twice.
INSERT INTO review_history
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted
FROM reviews
WHERE (requester_id, reporter, updated_at) NOT IN (SELECT requester_id, reporter, updated_at FROM review_history);
