-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
-- 64-bit hash of the reporter (rp, stored with the record, migration 0009: grouping by a number is
-- several times faster than by the 64-character pseudonym; a collision would take two of ten million
-- reporters) and the record's derived figures.
-- Recompute copies it once into an in-memory table that every scope then reads (about 115 bytes a
-- record: repeated text as LowCardinality, money as 64-bit decimals); live queries and updates read
-- a few requesters (Where), whose text stays String: converting it to LowCardinality cost an update
-- of 1,800 requesters at 10M records 0.4 of its 0.9 s copy.
--
-- rk and version identify the record's version (migration 0010); only the records cache needs them
-- (Versions: a full copy kept as the cache, matched by them with the versions written since), so
-- other reads leave them out (16 bytes a record of a run table). Fresh reads those versions: the
-- records of the parts named {parts}, flagged ones included (with their flag), since a newer
-- flagged version removes a record the cache holds.
SELECT
    {{.Text "requester_id"}}, {{.Text "hit_set_id"}},
    rp,{{if or .Versions .Fresh}} rk, version,{{end}}
    start_ms, end_ms, secs, is_submitted, toDecimal64(paid, 2) AS paid, toDecimal64(offered, 2) AS offered,
    task_hourly, status, decision_secs, allotted_seconds, at, received_at,
    {{.Text "requester_name"}}, {{.Text "title"}}, reward{{if .Fresh}}, flag{{end}}
FROM wage_records
WHERE {{if .Fresh}}part IN {parts:Array(String)}{{else}}flag = ''{{end}} {{.Where}}
