-- 0012_review_trust as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).
-- Generated: go test ./internal/store -run TestClusterDDL -update

ALTER TABLE reviews_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS worker String DEFAULT '';

ALTER TABLE reviews ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS worker String DEFAULT '';

ALTER TABLE review_history_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS worker String DEFAULT '';

ALTER TABLE review_history ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS worker String DEFAULT '';

DROP VIEW IF EXISTS review_history_mv ON CLUSTER 'hitwage';

CREATE MATERIALIZED VIEW IF NOT EXISTS review_history_mv ON CLUSTER 'hitwage' TO review_history_local AS
SELECT requester_id, reporter, pay, fairness, communication, promptness, text, tos_violation, broken_task,
    created_at, updated_at, deleted, via, worker
FROM reviews_local;

CREATE TABLE IF NOT EXISTS review_flags_local ON CLUSTER 'hitwage' (
    requester_id String,
    author String,
    flagger String,
    reason LowCardinality(String),
    at DateTime64(3, 'UTC')
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
ORDER BY (requester_id, author, at);

CREATE TABLE IF NOT EXISTS review_flags ON CLUSTER 'hitwage' AS review_flags_local
ENGINE = Distributed('hitwage', 'hitwage', 'review_flags_local', cityHash64(requester_id));

CREATE TABLE IF NOT EXISTS token_requesters_local ON CLUSTER 'hitwage' (
    via String,
    requester_id String,
    n SimpleAggregateFunction(sum, UInt64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')
ORDER BY (via, requester_id);

CREATE TABLE IF NOT EXISTS token_requesters ON CLUSTER 'hitwage' AS token_requesters_local
ENGINE = Distributed('hitwage', 'hitwage', 'token_requesters_local', cityHash64(requester_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS token_requesters_mv ON CLUSTER 'hitwage' TO token_requesters_local AS
SELECT via, requester_id, count() AS n
FROM task_records_local
WHERE via != ''
GROUP BY via, requester_id;

INSERT INTO token_requesters (via, requester_id, n)
SELECT via, requester_id, count()
FROM task_records
WHERE via != '' AND via NOT IN (SELECT via FROM token_requesters)
GROUP BY via, requester_id;

INSERT INTO meta (key, value, updated_at)
SELECT 'review_id_key', lower(hex(randomString(32))), now64(3, 'UTC')
WHERE (SELECT count() FROM meta WHERE key = 'review_id_key') = 0;

CREATE OR REPLACE VIEW live_reviews ON CLUSTER 'hitwage' AS
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
