-- Research export of one platform's ({plat}) requesters' wage figures over all data, as the site
-- shows them (the wage_figures table that wages.Recompute writes): each in the requester's currency,
-- with the floor it was judged by. Requesters with fewer than {k} distinct reporters are left out.
-- requester_id is the platform's own id: the stored key's "platform:" prefix (platform.Key) is cut.
SELECT
    if(position(f.requester_id, ':') = 0, f.requester_id, substring(f.requester_id, position(f.requester_id, ':') + 1)) AS requester_id,
    requester_name,
    records,
    reporters,
    round(paid, 2) AS paid,
    round(effective_secs, 1) AS effective_seconds,
    round(effective_hourly, 4) AS effective_hourly,
    round(nominal_hourly, 4) AS nominal_hourly,
    round(median_hourly, 4) AS median_hourly,
    round(p25_hourly, 4) AS p25_hourly,
    round(p75_hourly, 4) AS p75_hourly,
    round(share_below_minimum, 4) AS share_below_minimum,
    round(share_below_target, 4) AS share_below_target,
    target,
    approved,
    rejected,
    pending + submitted AS pending,
    returned,
    abandoned,
    round(median_approval_secs / 3600, 2) AS median_approval_hours,
    toString(platform) AS platform,
    toString(currency) AS currency,
    minimum
FROM
(
    -- The newest row of each requester: an update that moved one into another currency writes a row
    -- under a new key, and the old one stays until the next full recompute drops it.
    SELECT * FROM wage_figures FINAL
    WHERE scope = 'requester' AND platform = {plat:String}
    ORDER BY requester_id, computed_at DESC
    LIMIT 1 BY requester_id
) AS f
WHERE reporters >= {k:UInt32}
ORDER BY requester_id
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 0,
    output_format_parquet_row_group_size = 65536, output_format_parquet_row_group_size_bytes = 33554432
