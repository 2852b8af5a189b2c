-- Lean figures per time bucket (week, hour of day, weekday) for trends: records, reporters, pay and
-- merged time (as in figures.sql), hence the effective and nominal hourly wages; no per-task
-- distribution (those columns are empty). Reporters whose tasks overlap impossibly are left out.
-- Output columns are wage_figures' columns, in order.
SELECT
    {scope:String} AS scope,
    f_k1 AS requester_id,
    f_k2 AS hit_set_id,
    f_k3 AS bucket,
    f_records AS records,
    f_reporters AS reporters,
    f_excluded AS excluded_reporters,
    f_paid AS paid,
    f_offered AS offered,
    greatest(f_task_secs - f_eff_saved, 0) AS effective_secs,
    greatest(f_sub_secs - f_nom_saved, 0) AS nominal_secs,
    f_task_secs AS task_secs,
    if(effective_secs > 0, paid / effective_secs * 3600, NULL) AS effective_hourly,
    if(nominal_secs > 0, offered / nominal_secs * 3600, NULL) AS nominal_hourly,
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
    CAST(NULL, 'Nullable(Float64)') AS median_decision_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_approval_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_task_secs,
    CAST(NULL, 'Nullable(Float64)') AS median_allotted_ratio,
    '' AS requester_name,
    '' AS title,
    toFloat64(0) AS reward,
    toUInt32(0) AS allotted_seconds,
    CAST(NULL, 'Nullable(Float64)') AS bonus_owed,
    {target:Float64} AS target,
    {at:DateTime64(3, 'UTC')} AS computed_at
FROM
(
    SELECT
        kh AS f_kh,
        any(k1) AS f_k1,
        any(k2) AS f_k2,
        any(k3) AS f_k3,
        count() AS f_records,
        uniqExact(rp) AS f_reporters,
        toFloat64(sum(paid)) AS f_paid,
        toFloat64(sum(offered)) AS f_offered,
        sum(secs) AS f_task_secs,
        sumIf(secs, is_submitted) AS f_sub_secs
    FROM ({{template "keyed.sql" .}})
    WHERE (kh, rp) NOT IN (SELECT kh, rp FROM {{template "pairs" .}} WHERE NOT ok)
    GROUP BY kh
) AS t
LEFT JOIN
(
    SELECT
        kh,
        sumIf(timed_secs - eff_merged, ok) AS f_eff_saved,
        sumIf(timed_nom_secs - nom_merged, ok) AS f_nom_saved,
        countIf(NOT ok) AS f_excluded
    FROM {{template "pairs" .}}
    GROUP BY kh
) AS m ON t.f_kh = m.kh
