-- Ingest: reporters' bearer tokens and the raw text of crawled forum posts.

-- One row per token; revoking writes a newer row (updated_at wins, read with FINAL).
-- token_hash is the SHA-256 of the whole token: the token itself is shown once and never stored.
CREATE TABLE IF NOT EXISTS ingest_tokens {{.OnCluster}} (
    token_id String,
    token_hash String,
    label String,
    created_at DateTime64(3, 'UTC'),
    revoked_at Nullable(DateTime64(3, 'UTC')),
    updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_id;

-- Forum posts the forum collector read, with what it did not understand, so a parser
-- improvement can be checked against real posts. author is a keyed hash, like reporter.
CREATE TABLE IF NOT EXISTS forum_posts {{.OnCluster}} (
    post_url String,
    thread_url String,
    author String,
    posted_at Nullable(DateTime64(3, 'UTC')),
    exports UInt16,
    records UInt16,
    unparsed String,
    crawled_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(crawled_at)
ORDER BY post_url;
