-- Research export of one platform's ({plat}) market wage figures per ISO week (Monday, UTC) in
-- [{from}, {to}), from the wage_figures table that wages.Recompute writes: one row per week and
-- currency (the market of the requesters paying in it). Rows with fewer than {k} distinct reporters
-- are left out.
SELECT
    toDate(bucket) AS week,
    records,
    reporters,
    round(paid, 2) AS paid,
    round(effective_hourly, 4) AS effective_hourly,
    round(nominal_hourly, 4) AS nominal_hourly,
    target,
    toString(platform) AS platform,
    toString(currency) AS currency
FROM wage_figures FINAL
WHERE scope = 'market_week' AND platform = {plat:String} AND reporters >= {k:UInt32}
  AND toDate(bucket) >= toDate({from:DateTime64(3, 'UTC')}) AND toDate(bucket) < toDate({to:DateTime64(3, 'UTC')})
ORDER BY week, currency
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 0,
    output_format_parquet_row_group_size = 65536, output_format_parquet_row_group_size_bytes = 33554432
