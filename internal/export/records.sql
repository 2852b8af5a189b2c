-- Research export of one platform's ({plat}) task records, one row per deduplicated record in
-- [{from}, {to}).
-- Privacy: no worker identifier (reporter is a pseudonym salted per export, so two exports can't be
-- joined on it), times cut to the hour, no assignment/HIT ids, no source URL; records of requesters
-- with fewer than {k} distinct reporters in the range are left out, and a HIT group's id and title
-- are blanked when fewer than {k} reporters did its tasks.
-- requester_id is the platform's own id: the stored key's "platform:" prefix (platform.Key) is cut.
-- reward, bonus and hourly are in the record's own currency, as reported.
SELECT
    substring(lower(hex(SHA256(concat(r.reporter, {salt:String})))), 1, 16) AS reporter,
    if(position(r.requester_id, ':') = 0, r.requester_id, substring(r.requester_id, position(r.requester_id, ':') + 1)) AS requester_id,
    r.requester_name AS requester_name,
    if(g.reporters >= {k:UInt32}, r.hit_set_id, '') AS hit_set_id,
    if(g.reporters >= {k:UInt32}, r.title, '') AS title,
    r.reward AS reward,
    r.bonus AS bonus,
    toString(r.status) AS status,
    round(r.secs, 3) AS seconds,
    r.allotted_seconds AS allotted_seconds,
    toStartOfHour(fromUnixTimestamp64Milli(r.start_ms, 'UTC')) AS accepted_hour,
    toStartOfHour(toDateTime(r.finished_at, 'UTC')) AS finished_hour,
    toStartOfHour(toDateTime(r.decided_at, 'UTC')) AS decided_hour,
    toStartOfHour(toDateTime(r.received_at, 'UTC')) AS received_hour,
    round(r.task_hourly, 4) AS hourly,
    r.flag AS flag,
    r.platform AS platform,
    toString(r.currency) AS currency
FROM
(
    SELECT requester_id, reporter, hit_set_id, requester_name, title, reward, bonus, status,
           allotted_seconds, finished_at, decided_at, received_at, start_ms, secs, task_hourly, flag,
           platform, currency
    FROM wage_records
    WHERE platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
      AND requester_id IN (
          SELECT requester_id FROM wage_records
          WHERE platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
          GROUP BY requester_id HAVING uniqExact(reporter) >= {k:UInt32})
) AS r
LEFT JOIN
(
    SELECT hit_set_id, uniqExact(reporter) AS reporters FROM wage_records
    WHERE platform = {plat:String} AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
    GROUP BY hit_set_id
) AS g ON g.hit_set_id = r.hit_set_id
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 0,
    output_format_parquet_row_group_size = 65536, output_format_parquet_row_group_size_bytes = 33554432
