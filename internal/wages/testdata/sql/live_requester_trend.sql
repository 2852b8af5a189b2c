SELECT scope, requester_id, hit_set_id, bucket, records, reporters, excluded_reporters,
	paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
	median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
	submitted, pending, approved, rejected, returned, abandoned,
	median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
	requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
	platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered,
	hist_bins, hist_tasks, hist_secs FROM (-- Lean figures per time bucket of a live query (a requester's weekly trend): records, reporters,
-- pay and merged time, hence the effective and nominal hourly wages; no per-task distribution (those
-- columns are empty), as figures.sql's Lean figures, which runs write. Reporters whose tasks overlap
-- impossibly are left out. A live query's pairs (pairs.sql, Live) hold every record, so they alone
-- give every sum: one pass over the records instead of figures.sql's three. Only for live queries
-- (trendQuery): a run's pairs hold the overlapping reporters alone.
-- Output columns are wage_figures' columns, in order.
SELECT
    {scope:String} AS scope,
    any(k1) AS requester_id,
    any(k2) AS hit_set_id,
    any(k3) AS bucket,
    any(p_platform) AS platform,
    any(p_cur) AS currency,
    sumIf(n, ok) AS records,
    uniqExactIf(p_rq, ok) AS reporters,
    countIf(NOT ok) AS excluded_reporters,
    sumIf(paid_sum, ok) AS paid,
    sumIf(offered_sum, ok) AS offered,
    sumIf(eff_secs, ok) AS effective_secs,
    sumIf(nom_secs, ok) AS nominal_secs,
    sumIf(t_secs, ok) AS task_secs,
    if(effective_secs > 0, paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, offered / nominal_secs * 3600, NULL) AS nominal_hourly,
-- The columns lean (trend) figures leave empty, between nominal_hourly and target: no per-task
-- distribution, shares, status counts, medians or names. Included by figures.sql (Lean) and trend.sql.
    CAST(NULL, 'Nullable(Float64)') AS median_hourly,
    CAST(NULL, 'Nullable(Float64)') AS p25_hourly,
    CAST(NULL, 'Nullable(Float64)') AS p75_hourly,
    CAST(NULL, 'Nullable(Float64)') AS trimmed_mean_hourly,
    CAST(NULL, 'Nullable(Float64)') AS share_below_minimum,
    CAST(NULL, 'Nullable(Float64)') AS share_below_target,
    toUInt64(0) AS submitted,
    toUInt64(0) AS pending,
    toUInt64(0) AS approved,
    toUInt64(0) AS rejected,
    toUInt64(0) AS returned,
    toUInt64(0) AS abandoned,
    toUInt64(0) AS screened_out,
    toUInt64(0) AS timed_out,
    CAST(NULL, 'Nullable(Float64)') AS median_decision_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_approval_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_task_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_allotted_ratio,
    '' AS requester_name,
    '' AS title,
    toFloat64(0) AS reward,
    toUInt32(0) AS allotted_seconds,
    CAST(NULL, 'Nullable(Float64)') AS bonus_owed,
    tupleElement(tuple(transform(concat(any(p_platform), '/', any(p_cur)), {floor_keys:Array(String)}, {floor_min:Array(Float64)}, {minimum:Float64}),
         transform(concat(any(p_platform), '/', any(p_cur)), {floor_keys:Array(String)}, {floor_target:Array(Float64)}, {target:Float64})), 1) AS minimum,
    tupleElement(tuple(transform(concat(any(p_platform), '/', any(p_cur)), {floor_keys:Array(String)}, {floor_min:Array(Float64)}, {minimum:Float64}),
         transform(concat(any(p_platform), '/', any(p_cur)), {floor_keys:Array(String)}, {floor_target:Array(Float64)}, {target:Float64})), 2) AS target,
    CAST(NULL, 'Nullable(Float64)') AS pay_score,
    sumIf(n_untimed, ok) AS untimed,
    sumIf(u_offered_sum, ok) AS untimed_offered,
    CAST([], 'Array(UInt32)') AS hist_bins, CAST([], 'Array(UInt64)') AS hist_tasks, CAST([], 'Array(Float64)') AS hist_secs,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM (-- The (key, reporter) pairs of the reporters whose tasks may overlap (overlap.sql): every other
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
SELECT CAST(cityHash64(platform, cur, requester_id, '', toString(toMonday(at))) AS UInt64) AS kh, requester_id AS k1, '' AS k2, toString(toMonday(at)) AS k3,
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

)
GROUP BY kh
HAVING records > 0
)
