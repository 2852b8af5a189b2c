-- What a requester's page reads from the store, kept as one row per requester (issue 20, item 3;
-- internal/pagerows): its HIT groups, kept histogram and weeks, newest reviews and source split,
-- as JSON, so a page not shown since its figures changed is one read by key rather than three
-- statements. figures_at is the computation the row was made from (the requester's
-- wage_figures computed_at); built_at when the row's reads began, so a review or flag stored
-- after it marks the row stale. Derived: made anew from the figures, reviews and records at any
-- time; a row that no longer matches its requester's figures is not read (the page reads live).
-- A row is about 8 KB of JSON: granules of 8 rows, about one compressed block, so a read of a
-- batch of requesters decompresses little beyond their rows (the default granule of up to 10 MB
-- made a row's read cost several times the statement's).
CREATE TABLE IF NOT EXISTS requester_pages {{.OnCluster}} (
    requester_id String,
    figures_at DateTime64(3, 'UTC'),
    built_at DateTime64(3, 'UTC'),
    parts String CODEC(ZSTD(3))
) ENGINE = ReplacingMergeTree(built_at)
ORDER BY requester_id
SETTINGS index_granularity = 8;
