-- Which listing snapshots are reporters' words rather than the platform's: study listings a
-- participant's userscript relayed (crawl 'relay') or a worker uploaded (crawl 'upload:<file>';
-- internal/market names both). They name no researcher or study and set no reward, time allotted
-- or advertised time that a figure or a grade uses (docs/methodology.md, "Study listings"): every
-- reader tests this one column instead of spelling the rule out again.
ALTER TABLE listing_snapshots {{.OnCluster}} ADD COLUMN IF NOT EXISTS reported Bool
    MATERIALIZED crawl_id = 'relay' OR startsWith(crawl_id, 'upload:');
ALTER TABLE listing_snapshots {{.OnCluster}} MATERIALIZE COLUMN reported;
