-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
-- 64-bit hash of the reporter (rp, stored with the record, migration 0009: grouping by a number is
-- several times faster than by the 64-character pseudonym; a collision would take two of ten million
-- reporters) and the record's derived figures.
-- Recompute copies it once into an in-memory table that every scope then reads (about 115 bytes a
-- record: repeated text as LowCardinality, money as 64-bit decimals); live queries and updates read
-- a few requesters (Where), whose text stays String: converting so few rows costs more than the
-- memory it saves.
--
-- rk and version identify the record's version (migration 0010); only the records cache needs them
-- (Versions: a full copy kept as the cache, matched by them with the versions written since), so
-- other reads leave them out (16 bytes a record of a run table). Fresh reads those versions: the
-- records of the parts named {parts}, flagged ones included (with their flag), since a newer
-- flagged version removes a record the cache holds.
--
-- A reporter's own figures (Own) also read their records that no requester could be attributed to
-- (flag 'unattributed', migration 0016); nothing else does.
--
-- timed says whether the record has a time on task (migration 0013): an untimed one counts for
-- records, statuses, reporters and u_offered, and has no secs, paid, offered or place in time.
--
-- rq is the identity that counts as one reporter (a token, or a worker a relay or an import names;
-- migration 0011): every distinct-reporter count counts it, while merging a worker's overlapping
-- tasks goes by rp.
--
-- Money is in the requester's currency (cur): the currency most of its reporters name, then most
-- records, then the alphabetically first (requester_currencies, which lists the few requesters
-- reported in several), each record's amounts
-- converted through the currency table ({fx_cur} and {fx_usd}: US dollars per unit) and rounded to
-- the cent; a record already in its requester's currency (nearly all) is not touched. So no figure
-- ever adds amounts in two currencies, and a requester's figures are in one. Each record carries the
-- number of its requester's floor and target in {floor_keys} (kf, 0: none; keyed.sql looks them up),
-- worked out once here rather than from the strings in every scope. (mc is a constant, so
-- the lookup folds away when no requester has several currencies, as on an MTurk-only store.)
WITH
    ({{template "currencies.sql"}}) AS mc,
    if(empty(mc.1), '', transform(requester_id, arrayPushBack(mc.1, ''), arrayPushBack(mc.2, ''), '')) AS mc_cur,
    if(mc_cur = '', toString(currency), mc_cur) AS s_cur,
    if(currency = s_cur, 1.,
       transform(toString(currency), {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)
       / transform(s_cur, {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)) AS fx
SELECT
    {{.Text "requester_id"}}, {{.Text "hit_set_id"}},
    rp, rq,{{if or .Versions .Fresh}} rk, version,{{end}}
    toLowCardinality(platform) AS platform, toLowCardinality(s_cur) AS cur,
    toUInt8(indexOf({floor_keys:Array(String)}, concat(platform, '/', s_cur))) AS kf,
    start_ms, end_ms, secs, is_submitted,
    if(fx = 1, toDecimal64(paid, 2), toDecimal64(round(toFloat64(paid) * fx, 2), 2)) AS paid,
    if(fx = 1, toDecimal64(offered, 2), toDecimal64(round(toFloat64(offered) * fx, 2), 2)) AS offered,
    if(fx = 1, toDecimal64(u_offered, 2), toDecimal64(round(toFloat64(u_offered) * fx, 2), 2)) AS u_offered, timed,
    task_hourly * fx AS task_hourly, status, decision_secs, allotted_seconds, at, received_at,
    {{.Text "requester_name"}}, {{.Text "title"}},
    if(fx = 1, reward, toDecimal64(round(toFloat64(reward) * fx, 2), 2)) AS reward{{if .Fresh}}, flag{{end}}
FROM wage_records
WHERE {{if .Fresh}}part IN {parts:Array(String)}{{else if .Own}}flag IN ('', 'unattributed'){{else}}flag = ''{{end}} {{.Where}}
