SELECT scope, requester_id, hit_set_id, bucket, records, reporters, excluded_reporters,
	paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
	median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
	submitted, pending, approved, rejected, returned, abandoned,
	median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
	requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
	platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered,
	hist_bins, hist_tasks, hist_secs FROM (-- Wage figures for every key of one scope. Rendered by figures.go: K1, K2, K3 are the key expressions
-- of the scope (requester, HIT group, time bucket; '' when unused) and Where a fixed filter whose
-- values are bound parameters. The outer SELECT gives wage_figures' columns, in order; inner aliases
-- carry an f_ prefix so that none shadows a record column.
--
-- Untimed records (no time on task: timed = 0, migration 0013) count in records, reporters, the
-- status counts and untimed/untimed_offered; they have no time, pay or per-task wage, so every wage
-- figure, median and the pay score rest on the timed records alone.
--
-- The per-task wage histogram a requester's page draws (hist_*: the bins with tasks, their tasks
-- and task time; bins {hist_width} wide, the last of {hist_bins} open-ended) is kept with the
-- requester scope's figures (other scopes' are empty), so a page reads it instead of grouping the
-- requester's records again.
--
-- One pass over the key's records gives every sum, count and quantile; the records of reporters whose
-- tasks overlap impossibly (pairs.sql, NOT ok) are left out of all of them. Merged time is the plain
-- task time less what merging saves, and only the pairs of reporters whose tasks may overlap
-- (pairs.sql) can save anything, so a record-sized GROUP BY of every pair is never needed.
--
-- Lean (trends: weeks, hours of the day, weekdays) keeps records, reporters, pay and time, hence the
-- effective and nominal hourly wages, and leaves the per-task distribution, shares, status counts,
-- medians and names empty (NULL, 0 or '').
--
-- A requester's name (names.sql) and a HIT group's title (titles.sql) come from MTurk's listings,
-- else from the most distinct reporters, never from whichever record came last: one report must
-- not rename a requester. Scopes without a requester (or HIT group) key leave them ''.
SELECT
    {scope:String} AS scope,
    f_k1 AS requester_id,
    f_k2 AS hit_set_id,
    f_k3 AS bucket,
    f_platform AS platform,
    f_cur AS currency,
    f_records AS records,
    f_reporters AS reporters,
    f_excluded AS excluded_reporters,
    f_paid AS paid,
    f_offered AS offered,
    greatest(f_task_secs - f_eff_saved, 0) AS effective_secs,
    greatest(f_sub_secs - f_nom_saved, 0) AS nominal_secs,
    f_task_secs AS task_secs,
    if(effective_secs > 0, f_paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, f_offered / nominal_secs * 3600, NULL) AS nominal_hourly,
    if(empty(f_sorted), NULL, f_qs[2]) AS median_hourly,
    if(empty(f_sorted), NULL, f_qs[1]) AS p25_hourly,
    if(empty(f_sorted), NULL, f_qs[3]) AS p75_hourly,
    if(empty(f_sorted), NULL,
       arrayAvg(arraySlice(f_sorted, 1 + toUInt64(floor(length(f_sorted) * 0.1)),
                           length(f_sorted) - 2 * toUInt64(floor(length(f_sorted) * 0.1))))) AS trimmed_mean_hourly,
    if(f_task_secs > 0, f_below_min / f_task_secs, NULL) AS share_below_minimum,
    if(f_task_secs > 0, f_below_target / f_task_secs, NULL) AS share_below_target,
    f_submitted AS submitted,
    f_pending AS pending,
    f_approved AS approved,
    f_rejected AS rejected,
    f_returned AS returned,
    f_abandoned AS abandoned,
    f_screened_out AS screened_out,
    f_timed_out AS timed_out,
    if(isNaN(f_decision), NULL, f_decision) AS median_decision_secs,
    if(isNaN(f_approval), NULL, f_approval) AS median_approval_secs,
    if(isNaN(f_task), NULL, f_task) AS median_task_secs,
    if(isNaN(f_ratio), NULL, f_ratio) AS median_allotted_ratio,
    f_requester_name AS requester_name,
    '' AS title,
    f_reward AS reward,
    f_allotted AS allotted_seconds,
    if(median_task_secs IS NULL, NULL,
       greatest(0, ceil(round((f_target * median_task_secs / 3600 - reward) * 100, 6)) / 100)) AS bonus_owed,
    f_minimum AS minimum,
    f_target AS target,
    arrayMap(x -> x / 1000, f_by_rq.2) AS f_rt,
    arraySort(f_rt) AS f_rs,
    arrayCumSum(f_rs) AS f_rc,
    length(f_rt) AS f_rn,
    multiIf(f_rn * {cap:Float64} < 1, arrayMin(f_rt),
            arrayMax(f_rt) <= {cap:Float64} * arraySum(f_rt), inf,
            arrayFirst(l -> l > 0, arrayMap(k -> if(1 - {cap:Float64} * (f_rn - k) > 0
                AND {cap:Float64} * f_rc[k] / (1 - {cap:Float64} * (f_rn - k)) BETWEEN f_rs[k] AND f_rs[k + 1],
                {cap:Float64} * f_rc[k] / (1 - {cap:Float64} * (f_rn - k)), 0), arrayReverse(range(1, f_rn))))) AS f_level0,
    if(f_level0 > 0, f_level0, arrayMin(f_rt)) AS f_level,
    arrayMap(t -> least(t, f_level), f_rt) AS f_rw,
    if(f_rn = 0 OR arraySum(f_rw) <= 0, NULL,
       arraySum(arrayMap((w, t, p) -> w * if(t > 0, least(100, greatest(0, 100 * (p / 100) / t * 3600 / f_target)), 0), f_rw, f_rt, f_by_rq.3))
       / arraySum(f_rw)) AS pay_score,
    f_untimed AS untimed,
    f_u_offered AS untimed_offered,
    f_hist.1 AS hist_bins, f_hist.2 AS hist_tasks, f_hist.3 AS hist_secs,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM
(
    SELECT
        kh AS f_kh,
        any(k1) AS f_k1,
        any(k2) AS f_k2,
        any(k3) AS f_k3,
        any(platform) AS f_platform,
        any(cur) AS f_cur,
        any(kmin) AS f_minimum,
        any(ktarget) AS f_target,
        count() AS f_records,
        uniqExact(rq) AS f_reporters,
        toFloat64(sum(paid)) AS f_paid,
        toFloat64(sum(offered)) AS f_offered,
        sum(secs) AS f_task_secs,
        sumIf(secs, is_submitted) AS f_sub_secs,
        countIf(NOT timed) AS f_untimed,
        toFloat64(sum(u_offered)) AS f_u_offered,
        sumMapIf([rq], [toInt64(round(secs * 1000))], [toInt64(paid * 100)], timed) AS f_by_rq,
        arraySort(groupArrayIf(task_hourly, timed)) AS f_sorted,
        sumMapIf([toUInt32(least(floor(task_hourly / {hist_width:Float64}), toFloat64({hist_bins:UInt32}) - 1))], [toUInt64(1)], [secs], timed) AS f_hist,
        arrayReduce('quantilesExactInclusive(0.25, 0.5, 0.75)', f_sorted) AS f_qs,
        sumIf(secs, task_hourly < kmin) AS f_below_min,
        sumIf(secs, task_hourly < ktarget) AS f_below_target,
        countIf(status = 'submitted') AS f_submitted,
        countIf(status = 'pending') AS f_pending,
        countIf(status = 'approved') AS f_approved,
        countIf(status = 'rejected') AS f_rejected,
        countIf(status = 'returned') AS f_returned,
        countIf(status = 'abandoned') AS f_abandoned,
        countIf(status = 'screened_out') AS f_screened_out,
        countIf(status = 'timed_out') AS f_timed_out,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL) AS f_decision,
        quantileExactInclusiveIf(0.5)(assumeNotNull(decision_secs), decision_secs IS NOT NULL AND status = 'approved') AS f_approval,
        quantileExactInclusiveIf(0.5)(secs, is_submitted AND timed) AS f_task,
        quantileExactInclusiveIf(0.5)(allotted_seconds / secs, is_submitted AND timed AND allotted_seconds > 0) AS f_ratio,
        argMax(toFloat64(reward), received_at) AS f_reward,
        argMax(allotted_seconds, received_at) AS f_allotted
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
    WHERE (kh, rp) NOT IN (SELECT kh, rp FROM (-- The (key, reporter) pairs of the reporters whose tasks may overlap (overlap.sql): every other
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
    GROUP BY kh
) AS t
LEFT JOIN
(
    SELECT
        kh,
        sumIf(timed_secs - eff_merged, ok) AS f_eff_saved,
        sumIf(timed_nom_secs - nom_merged, ok) AS f_nom_saved,
        countIf(NOT ok) AS f_excluded
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

)
    GROUP BY kh
) AS m ON t.f_kh = m.kh
LEFT JOIN (-- The requester name a figures query shows, per requester (n_k1), chosen so that a few reports
-- cannot rename a requester: the name MTurk's listings give it (the requesters table or the latest
-- crawled listing snapshot, whichever is newer), else the name the most distinct reporters gave,
-- then the one received last, then the greater (so the choice never depends on read order). Empty
-- names are no candidates. Included by figures.sql when the scope is keyed by requester.
--
-- Study listings a participant's userscript relayed (crawl 'relay') or a worker uploaded (crawl
-- 'upload:<file>') are reporters' words, not the platform's: they name no one here (a token could
-- otherwise rename a researcher with one made-up listing); crawls and the operator's imports do.
--
-- Nearly every requester is reported under one name, which needs no vote: only the records of
-- requesters reported under several names are grouped by name and counted by reporter (finding
-- them costs a fraction of a vote over every record). The
-- requesters table holds a row per requester and is read whole; listing snapshots pile up per
-- crawl, so only the requesters read here are looked up (by primary key).
SELECT n_k1, argMax(n_name, (n_listed, n_reporters, n_last, n_name)) AS f_requester_name
FROM
(
    SELECT requester_id AS n_k1, toString(any(requester_name)) AS n_name, toUInt8(0) AS n_listed,
        toUInt64(0) AS n_reporters, max(received_at) AS n_last
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
    WHERE requester_name != ''
    GROUP BY requester_id
    HAVING min(cityHash64(requester_name)) = max(cityHash64(requester_name))
    UNION ALL
    SELECT requester_id, toString(requester_name), 0, uniqExact(rq), max(received_at)
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
    WHERE requester_name != '' AND requester_id IN (
        SELECT requester_id FROM (-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
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
) WHERE requester_name != '' GROUP BY requester_id
        HAVING min(cityHash64(requester_name)) != max(cityHash64(requester_name)))
    GROUP BY requester_id, requester_name
    UNION ALL
    SELECT requester_id, argMax(requester_name, crawled_at), 1, 0, max(crawled_at)
    FROM listing_snapshots
    WHERE requester_name != '' AND NOT reported
        AND requester_id IN (SELECT requester_id FROM (-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
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
))
    GROUP BY requester_id
    UNION ALL
    SELECT requester_id, argMax(name, updated_at), 1, 0, max(updated_at)
    FROM requesters
    WHERE name != ''
    GROUP BY requester_id
)
GROUP BY n_k1
) AS n ON t.f_k1 = n.n_k1






)
