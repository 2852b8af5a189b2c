-- Research export of one platform's ({plat}) workers' weeks in [{from}, {to}) (whole ISO weeks): one
-- row per worker, week and currency with unflagged records, holding the worker's totals across all
-- requesters after Hara et al.: merged working time and effective hourly wage (paid over merged
-- time; one worker's overlapping tasks counted once, as wages' pairs.sql folds them). A worker whose
-- task time exceeds {max_overlap} times their merged time is left out (impossible overlap).
-- Privacy (docs/methodology.md, "Research exports: what they protect against"): no pseudonym and no
-- requester, so a row can't be joined to the records dataset nor to the worker's other weeks; the
-- totals are cut to bands, and a row is published only when the rows of its week and currency that
-- carry the same bands come from at least {k} reporting identities (rq: a token naming many workers
-- counts once, as everywhere): every row is identical to rows of at least {k} - 1 other reporters. Each row
-- depends on its week's records alone, so exports of overlapping ranges differ by whole weeks.
SELECT week, hours_from, hourly_from, plat AS platform, cur AS currency
FROM
(
    SELECT week, hours_from, hourly_from, plat, cur,
        uniqExact(q) OVER (PARTITION BY week, cur, hours_from, hourly_from) AS n
    FROM
    (
        SELECT
            toMonday(toDateTime(at, 'UTC')) AS week,
            toString(currency) AS cur,
            any(platform) AS plat,
            any(rq) AS q, -- the reporting identity (a token naming many made-up workers is one)
            sum(secs) AS t_secs,
            sumIf(secs, end_ms IS NULL) AS untimed_secs,
            groupArrayIf(assumeNotNull(start_ms), end_ms IS NOT NULL) AS s0,
            groupArrayIf(assumeNotNull(end_ms), end_ms IS NOT NULL) AS e0,
            -- The union's length by a sweep, as internal/wages/pairs.sql merges time: every start
            -- +1, every end -1 in order of time; a stretch is covered while the count is above 0.
            arraySum(arrayMap((w_gap, w_open) -> if(w_open > 0, w_gap, 0),
                arrayDifference(arraySort(arrayConcat(s0, e0))),
                arraySlice(arrayPushFront(arrayCumSum(arraySort((w_d, w_t) -> w_t,
                    arrayConcat(arrayWithConstant(length(s0), toInt64(1)), arrayWithConstant(length(e0), toInt64(-1))),
                    arrayConcat(s0, e0))), toInt64(0)), 1, 2 * length(s0)))) AS merged_ms,
            merged_ms / 1000 + untimed_secs AS merged_secs,
            toFloat64(sum(paid)) / merged_secs * 3600 AS hourly,
            toUInt8(multiIf(merged_secs >= 40 * 3600, 40, merged_secs >= 10 * 3600, 10, merged_secs >= 2 * 3600, 2, 0)) AS hours_from,
            toUInt8(least(floor(hourly), 30)) AS hourly_from
        FROM wage_records
        WHERE platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')} AND flag = ''
        GROUP BY rp, week, cur
        HAVING merged_secs > 0 AND t_secs <= {max_overlap:Float64} * merged_secs
    )
)
WHERE n >= {k:UInt32}
ORDER BY week, currency, hours_from, hourly_from
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 0,
    output_format_parquet_row_group_size = 65536, output_format_parquet_row_group_size_bytes = 33554432
