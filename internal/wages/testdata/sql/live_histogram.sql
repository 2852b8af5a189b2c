-- Histogram of one requester's per-task hourly wages: bins of {width} dollars per hour, the last bin
-- open-ended. Same timed records as the figures: unflagged, reporters with impossible overlap left out.
SELECT
    toUInt32(least(floor(task_hourly / {width:Float64}), toFloat64({bins:UInt32}) - 1)) AS bin,
    count() AS tasks,
    sum(secs) AS seconds
FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, requester_id, '', '') AS UInt64) AS kh, requester_id AS k1, '' AS k2, '' AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM (-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
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
    (-- The currency of each requester with records in several (requester_currencies): the one most of its
-- reporters name, then most records, then the alphabetically first; as (requester ids, currencies).
-- Included by source.sql; the records cache compares it with the one its copy was made under.
SELECT (groupArray(c_rid), groupArray(c_cur)) FROM (
    SELECT c_rid, argMin(c_cur, (-toInt64(c_r), -toInt64(c_n), c_cur)) AS c_cur
    FROM (SELECT requester_id AS c_rid, currency AS c_cur, uniqExactMerge(reporters) AS c_r, sum(n) AS c_n
          FROM requester_currencies
          WHERE requester_id IN (SELECT requester_id FROM requester_currencies GROUP BY requester_id
                                 HAVING uniqExact(currency) > 1)
          GROUP BY c_rid, c_cur)
    GROUP BY c_rid
    ORDER BY c_rid)) AS mc,
    if(empty(mc.1), '', transform(requester_id, arrayPushBack(mc.1, ''), arrayPushBack(mc.2, ''), '')) AS mc_cur,
    if(mc_cur = '', toString(currency), mc_cur) AS s_cur,
    if(currency = s_cur, 1.,
       transform(toString(currency), {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)
       / transform(s_cur, {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)) AS fx
SELECT
    requester_id, hit_set_id,
    rp, rq,
    toLowCardinality(platform) AS platform, toLowCardinality(s_cur) AS cur,
    toUInt8(indexOf({floor_keys:Array(String)}, concat(platform, '/', s_cur))) AS kf,
    start_ms, end_ms, secs, is_submitted,
    if(fx = 1, toDecimal64(paid, 2), toDecimal64(round(toFloat64(paid) * fx, 2), 2)) AS paid,
    if(fx = 1, toDecimal64(offered, 2), toDecimal64(round(toFloat64(offered) * fx, 2), 2)) AS offered,
    if(fx = 1, toDecimal64(u_offered, 2), toDecimal64(round(toFloat64(u_offered) * fx, 2), 2)) AS u_offered, timed,
    task_hourly * fx AS task_hourly, status, decision_secs, allotted_seconds, at, received_at,
    requester_name, title,
    if(fx = 1, reward, toDecimal64(round(toFloat64(reward) * fx, 2), 2)) AS reward
FROM wage_records
WHERE flag = '' AND requester_id = {rid:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
)
)
WHERE timed AND (kh, rp) NOT IN (SELECT kh, rp FROM (-- The (key, reporter) pairs of the reporters whose tasks may overlap (overlap.sql): every other
-- pair's merged time is simply its task time, and its reporter cannot overlap impossibly (a live
-- query, which reads few records, folds every pair instead of reading them once more). Per
-- pair: the reporter's merged task time, effective (all tasks) and nominal (submitted tasks), and
-- the impossible-overlap test (ok); a live query's pairs also carry their keys and pay for trend.sql.
-- Included by figures.sql, trend.sql and histogram.sql, or materialized once
-- per scope by a run, from the run's table of those reporters' records (Overlaps). A run without
-- tables (server mode) finds those reporters once and binds them ({ovl}, OverlapSet).
--
-- Merging: the pair's merged time is the length of the union of its [start, end] intervals (ms),
-- found by a sweep: every start counts +1 and every end -1, in order of time, and a stretch between
-- two consecutive times is covered while the running count is above 0 (at equal times the order
-- does not change the length). Nominal time is the union of the submitted tasks' intervals. Tasks
-- without times add their own time unmerged. (A fold over the sorted intervals gave the same
-- figures but cost the engine about 23 microseconds an interval, against well under one here: a
-- reporter with thousands of overlapping tasks made a recompute's market scopes 20 times slower.)
SELECT
    kh, rp, any(k1) AS k1, any(k2) AS k2, any(k3) AS k3, any(platform) AS p_platform, any(cur) AS p_cur, any(rq) AS p_rq,
    toFloat64(sum(paid)) AS paid_sum,
    toFloat64(sum(offered)) AS offered_sum,
    countIf(NOT timed) AS n_untimed,
    toFloat64(sum(u_offered)) AS u_offered_sum,
    count() AS n,
    sum(secs) AS t_secs,
    sumIf(secs, end_ms IS NOT NULL) AS timed_secs,
    sumIf(secs, end_ms IS NOT NULL AND is_submitted) AS timed_nom_secs,
    sumIf(secs, end_ms IS NULL) AS untimed_secs,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL) AS eff_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL) AS eff_e,
    groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL AND is_submitted) AS nom_s,
    groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL AND is_submitted) AS nom_e,
    arraySum(arrayMap((eff_gap, eff_open) -> if(eff_open > 0, eff_gap, 0),
        arrayDifference(arraySort(arrayConcat(eff_s, eff_e))),
        arraySlice(arrayPushFront(arrayCumSum(arraySort((eff_d, eff_t) -> eff_t,
            arrayConcat(arrayWithConstant(length(eff_s), toInt64(1)), arrayWithConstant(length(eff_e), toInt64(-1))),
            arrayConcat(eff_s, eff_e))), toInt64(0)), 1, 2 * length(eff_s)))) / 1000 AS eff_merged,
    arraySum(arrayMap((nom_gap, nom_open) -> if(nom_open > 0, nom_gap, 0),
        arrayDifference(arraySort(arrayConcat(nom_s, nom_e))),
        arraySlice(arrayPushFront(arrayCumSum(arraySort((nom_d, nom_t) -> nom_t,
            arrayConcat(arrayWithConstant(length(nom_s), toInt64(1)), arrayWithConstant(length(nom_e), toInt64(-1))),
            arrayConcat(nom_s, nom_e))), toInt64(0)), 1, 2 * length(nom_s)))) / 1000 AS nom_merged,
    eff_merged + untimed_secs AS eff_secs,
    nom_merged + sumIf(secs, end_ms IS NULL AND is_submitted) AS nom_secs,
    t_secs = 0 OR (eff_secs > 0 AND t_secs <= {max_overlap:Float64} * eff_secs) AS ok
FROM (-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, requester_id, '', '') AS UInt64) AS kh, requester_id AS k1, '' AS k2, '' AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM (-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
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
    (-- The currency of each requester with records in several (requester_currencies): the one most of its
-- reporters name, then most records, then the alphabetically first; as (requester ids, currencies).
-- Included by source.sql; the records cache compares it with the one its copy was made under.
SELECT (groupArray(c_rid), groupArray(c_cur)) FROM (
    SELECT c_rid, argMin(c_cur, (-toInt64(c_r), -toInt64(c_n), c_cur)) AS c_cur
    FROM (SELECT requester_id AS c_rid, currency AS c_cur, uniqExactMerge(reporters) AS c_r, sum(n) AS c_n
          FROM requester_currencies
          WHERE requester_id IN (SELECT requester_id FROM requester_currencies GROUP BY requester_id
                                 HAVING uniqExact(currency) > 1)
          GROUP BY c_rid, c_cur)
    GROUP BY c_rid
    ORDER BY c_rid)) AS mc,
    if(empty(mc.1), '', transform(requester_id, arrayPushBack(mc.1, ''), arrayPushBack(mc.2, ''), '')) AS mc_cur,
    if(mc_cur = '', toString(currency), mc_cur) AS s_cur,
    if(currency = s_cur, 1.,
       transform(toString(currency), {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)
       / transform(s_cur, {fx_cur:Array(String)}, {fx_usd:Array(Float64)}, nan)) AS fx
SELECT
    requester_id, hit_set_id,
    rp, rq,
    toLowCardinality(platform) AS platform, toLowCardinality(s_cur) AS cur,
    toUInt8(indexOf({floor_keys:Array(String)}, concat(platform, '/', s_cur))) AS kf,
    start_ms, end_ms, secs, is_submitted,
    if(fx = 1, toDecimal64(paid, 2), toDecimal64(round(toFloat64(paid) * fx, 2), 2)) AS paid,
    if(fx = 1, toDecimal64(offered, 2), toDecimal64(round(toFloat64(offered) * fx, 2), 2)) AS offered,
    if(fx = 1, toDecimal64(u_offered, 2), toDecimal64(round(toFloat64(u_offered) * fx, 2), 2)) AS u_offered, timed,
    task_hourly * fx AS task_hourly, status, decision_secs, allotted_seconds, at, received_at,
    requester_name, title,
    if(fx = 1, reward, toDecimal64(round(toFloat64(reward) * fx, 2), 2)) AS reward
FROM wage_records
WHERE flag = '' AND requester_id = {rid:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
)
)
GROUP BY kh, rp

) WHERE NOT ok)
GROUP BY bin
ORDER BY bin
