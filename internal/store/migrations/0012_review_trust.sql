-- Review trust (issue 22, item 5): a review belongs to the token that wrote it, a requester's own
-- reviews are left out of the figures, and readers can flag a review until it is hidden.
--
-- Before this step a review posted through a token that named a worker (a relaying script's
-- worker_id) was filed under the worker's pseudonym, so the first token to name a worker held that
-- worker's one review of each requester. From now on a review is filed under the token's own
-- pseudonym (reporter), one per token per requester (a declared relay's: one per worker it names),
-- and the worker the script named is kept only in worker below. Rows written before keep their reporter: live_reviews reads every row written
-- through a token (via) as that token's, so a token's earlier reviews filed under workers'
-- pseudonyms count as its one review (the newest), and the next edit or withdrawal through the
-- token folds them in (internal/reviews).

-- worker: the pseudonym of the worker a relaying script named, '' when it named none and for rows
-- written before this step. Private: never published, never part of a review's public id.
ALTER TABLE reviews {{.OnCluster}} ADD COLUMN IF NOT EXISTS worker String DEFAULT '';
ALTER TABLE review_history {{.OnCluster}} ADD COLUMN IF NOT EXISTS worker String DEFAULT '';

DROP VIEW IF EXISTS review_history_mv {{.OnCluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS review_history_mv {{.OnCluster}} TO review_history AS
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted, via, worker
FROM reviews;

-- Readers' flags on reviews: one row per flag, kept (the moderators' record). author is the
-- review's identity (live_reviews.author), flagger the flagging token's pseudonym or the hashed
-- network address of an anonymous reader. A moderator's restore is a row with flagger 'moderator'
-- and reason 'cleared': flags before it no longer count.
CREATE TABLE IF NOT EXISTS review_flags {{.OnCluster}} (
    requester_id String,
    author String,
    flagger String,
    reason LowCardinality(String),
    at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (requester_id, author, at);

-- How many task reports each token sent for each requester (counted per version received, as
-- requester_currencies), fed on insert: the self-review rule reads a token's share here instead of
-- scanning the records.
CREATE TABLE IF NOT EXISTS token_requesters {{.OnCluster}} (
    via String,
    requester_id String,
    n SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree
ORDER BY (via, requester_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS token_requesters_mv {{.OnCluster}} TO token_requesters AS
SELECT via, requester_id, count() AS n
FROM task_records
WHERE via != ''
GROUP BY via, requester_id;

INSERT INTO token_requesters (via, requester_id, n)
SELECT via, requester_id, count()
FROM task_records
WHERE via != '' AND via NOT IN (SELECT via FROM token_requesters)
GROUP BY via, requester_id;

-- The key public review ids are made with (live_reviews.review_id): random, made once, kept in the
-- store so every process and every query computes the same ids.
INSERT INTO meta (key, value, updated_at)
SELECT 'review_id_key', lower(hex(randomString(32))), now64(3, 'UTC')
WHERE (SELECT count() FROM meta WHERE key = 'review_id_key') = 0;

-- live_reviews: each author's current review, with its trust attributes. Every figure and listing
-- of reviews reads it (internal/lookup, internal/ratings, internal/reviews).
--
-- author: a review's identity. A review written through a token (via) belongs to the token
--   ('token:' and its id, as task_records.rq counts a token) unless the operator declared the
--   token a relay (`collector tokens create --relay`, ingest_tokens.relay); then, and for rows
--   written without a token (before tokens were recorded, the demo), to its reporter pseudonym: a
--   relay holds one review per worker it names, under a pseudonym of the token and the worker.
--   Each reporter's newest version is read first (what FINAL keeps), then each author's newest
--   live one.
-- review_id: the public id, a keyed hash of (requester, author): stable across edits, the same for
--   every reader, and it says nothing of the pseudonym.
-- own: possibly the requester's own review. Written through a token at least 90 % of whose task
--   reports are for this requester, and every rating it gives is 4 or 5 (at least one given).
-- flaggers: distinct readers who flagged it since a moderator last restored it; hidden from 3.
-- counted: neither own nor hidden; only counted reviews enter counts, averages and scores.
CREATE OR REPLACE VIEW live_reviews {{.OnCluster}} AS
SELECT
    r.requester_id AS requester_id,
    r.author AS author,
    lower(hex(substring(SHA256(concat((SELECT argMax(value, updated_at) FROM meta WHERE key = 'review_id_key'),
        '\0', r.requester_id, '\0', r.author)), 1, 12))) AS review_id,
    r.a_pay AS pay,
    r.a_fairness AS fairness,
    r.a_communication AS communication,
    r.a_promptness AS promptness,
    r.a_text AS text,
    r.a_tos AS tos_violation,
    r.a_broken AS broken_task,
    r.a_created AS created_at,
    r.a_updated AS updated_at,
    r.a_via AS via,
    arrayFilter(x -> x > 0, [r.a_pay, r.a_fairness, r.a_communication, r.a_promptness]) AS given,
    length(given) > 0 AS rated,
    r.a_via != '' AND rated AND arrayMin(given) >= 4 AND t.share >= 0.9 AS own,
    f.flaggers AS flaggers,
    f.flaggers >= 3 AS hidden,
    NOT own AND NOT hidden AS counted
FROM (
    SELECT requester_id, author,
        argMax(l_pay, l_at) AS a_pay, argMax(l_fairness, l_at) AS a_fairness,
        argMax(l_communication, l_at) AS a_communication, argMax(l_promptness, l_at) AS a_promptness,
        argMax(l_text, l_at) AS a_text, argMax(l_tos, l_at) AS a_tos, argMax(l_broken, l_at) AS a_broken,
        argMax(l_created, l_at) AS a_created, max(l_at) AS a_updated, argMax(l_via, l_at) AS a_via
    FROM (
        SELECT requester_id, reporter,
            argMax(pay, updated_at) AS l_pay, argMax(fairness, updated_at) AS l_fairness,
            argMax(communication, updated_at) AS l_communication, argMax(promptness, updated_at) AS l_promptness,
            argMax(text, updated_at) AS l_text, argMax(tos_violation, updated_at) AS l_tos,
            argMax(broken_task, updated_at) AS l_broken, argMax(deleted, updated_at) AS l_deleted,
            argMax(via, updated_at) AS l_via, min(created_at) AS l_created, max(updated_at) AS l_at,
            if(l_via != '' AND l_via NOT IN (SELECT token_id FROM ingest_tokens GROUP BY token_id HAVING argMax(relay, updated_at)),
                concat('token:', l_via), reporter) AS author
        FROM reviews
        GROUP BY requester_id, reporter
    )
    WHERE l_deleted = 0
    GROUP BY requester_id, author
) AS r
LEFT JOIN (
    SELECT via AS t_via, requester_id AS t_rid, sum(n) / sum(sum(n)) OVER (PARTITION BY via) AS share
    FROM token_requesters
    GROUP BY via, requester_id
) AS t ON t.t_via = r.a_via AND t.t_rid = r.requester_id
LEFT JOIN (
    SELECT requester_id AS f_rid, author AS f_author, uniqExactIf(flagger, reason != 'cleared' AND at > f_cleared) AS flaggers
    FROM (
        SELECT requester_id, author, flagger, reason, at,
            max(if(reason = 'cleared', at, toDateTime64(0, 3, 'UTC'))) OVER (PARTITION BY requester_id, author) AS f_cleared
        FROM review_flags
    )
    GROUP BY requester_id, author
) AS f ON f.f_rid = r.requester_id AND f.f_author = r.author;
