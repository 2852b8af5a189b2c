-- Research export of one platform's ({plat}) task records, one row per deduplicated record in
-- [{from}, {to}), whole ISO weeks (Options.Check widens the range to Mondays, UTC).
-- Privacy (docs/methodology.md, "Research exports: what they protect against", says why):
-- * reporter is a pseudonym of the worker for one requester, salted per export: a worker's rows of
--   one requester share it, their rows of another requester carry an unrelated one, and two exports
--   can't be joined on it;
-- * every decision below is taken within one ISO week (Monday, UTC) from that week's records alone,
--   so an export is the union of its weeks and two exports of overlapping ranges differ by whole
--   weeks, each already held to k;
-- * a group's id and title are published in a week when at least {k} distinct reporters did the
--   group's tasks that week (pg; else blank: "another group of this requester");
-- * a row's times are cut to the hour when its cell (requester, published group, hour) has at least
--   {k} reporters; else to the day when that day's rows not published by the hour have {k}; else to
--   the week when the week's rows left have {k}; else the row is left out. So every (requester,
--   group, time unit, time) a row shows is shared by the rows of at least {k} distinct reporters;
-- * no record that no requester could be attributed to (flag 'unattributed': its reporter's own);
-- * no assignment or HIT id, no source URL, no time of receipt (it would tie together the rows of
--   one upload, across requesters), working time in whole seconds.
-- requester_id is the platform's own id: the stored key's "platform:" prefix (platform.Key) is cut.
-- reward, bonus and hourly are in the record's own currency, as reported. An untimed record (a saved
-- history's: no time on task) has no seconds and no hourly (NULL), never 0.
SELECT
    substring(lower(hex(SHA256(concat(r.reporter, '/', r.requester_id, '/', {salt:String})))), 1, 16) AS reporter,
    if(position(r.requester_id, ':') = 0, r.requester_id, substring(r.requester_id, position(r.requester_id, ':') + 1)) AS requester_id,
    r.requester_name AS requester_name,
    c.pg AS hit_set_id,
    if(c.pg = '', '', r.title) AS title,
    r.reward AS reward,
    r.bonus AS bonus,
    toString(r.status) AS status,
    if(r.timed, round(r.secs), NULL) AS seconds,
    r.allotted_seconds AS allotted_seconds,
    multiIf(c.unit = 'hour', toStartOfHour(r.started), c.unit = 'day', toStartOfDay(r.started), toDateTime(toMonday(r.started), 'UTC')) AS accepted_hour,
    multiIf(c.unit = 'hour', toStartOfHour(r.finished), c.unit = 'day', toStartOfDay(r.finished), toDateTime(toMonday(r.finished), 'UTC')) AS finished_hour,
    multiIf(c.unit = 'hour', toStartOfHour(r.decided), c.unit = 'day', toStartOfDay(r.decided), toDateTime(toMonday(r.decided), 'UTC')) AS decided_hour,
    toMonday(r.hr) AS week,
    c.unit AS time_unit,
    if(r.timed, round(r.task_hourly, 4), NULL) AS hourly,
    r.flag AS flag,
    r.platform AS platform,
    toString(r.currency) AS currency,
    toString(r.source_kind) AS source_kind
FROM
(
    SELECT requester_id, reporter, hit_set_id, requester_name, title, reward, bonus, status, allotted_seconds,
           secs, task_hourly, flag, platform, currency, timed, source_kind,
           fromUnixTimestamp64Milli(start_ms, 'UTC') AS started,
           toDateTime(finished_at, 'UTC') AS finished,
           toDateTime(decided_at, 'UTC') AS decided,
           toStartOfHour(toDateTime(at, 'UTC')) AS hr
    FROM wage_records
    WHERE platform = {plat:String} AND flag != 'unattributed' AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
) AS r
INNER JOIN
(
    -- One row per (requester, group, hour) with records: the group as published (pg) and the unit its
    -- rows' times are cut to ('' = left out). Counted over the distinct (requester, group, hour,
    -- reporter, rq: a token, or a worker a relay or an import names) of the range; every window's partition
    -- lies within one ISO week.
    SELECT requester_id, hit_set_id, hr, any(pg) AS pg, any(unit) AS unit
    FROM
    (
        SELECT requester_id, hit_set_id, hr, pg,
            multiIf(nh >= {k:UInt32}, 'hour', nd >= {k:UInt32}, 'day', nw >= {k:UInt32}, 'week', '') AS unit
        FROM
        (
            SELECT requester_id, hit_set_id, hr, rq, pg, nh, nd,
                uniqExactIf(rq, nh < {k:UInt32} AND nd < {k:UInt32}) OVER (PARTITION BY requester_id, pg, toMonday(hr)) AS nw
            FROM
            (
                SELECT requester_id, hit_set_id, hr, rq, pg, nh,
                    uniqExactIf(rq, nh < {k:UInt32}) OVER (PARTITION BY requester_id, pg, toDate(hr)) AS nd
                FROM
                (
                    SELECT requester_id, hit_set_id, hr, rq, pg,
                        uniqExact(rq) OVER (PARTITION BY requester_id, pg, hr) AS nh
                    FROM
                    (
                        SELECT requester_id, hit_set_id, hr, rq,
                            if(hit_set_id != '' AND uniqExact(rq) OVER (PARTITION BY requester_id, hit_set_id, toMonday(hr)) >= {k:UInt32},
                               hit_set_id, '') AS pg
                        FROM
                        (
                            SELECT DISTINCT requester_id, hit_set_id, toStartOfHour(toDateTime(at, 'UTC')) AS hr, rq
                            FROM wage_records
                            WHERE platform = {plat:String} AND flag != 'unattributed' AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
                        )
                    )
                )
            )
        )
    )
    GROUP BY requester_id, hit_set_id, hr
) AS c ON c.requester_id = r.requester_id AND c.hit_set_id = r.hit_set_id AND c.hr = r.hr
WHERE c.unit != ''
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 0,
    output_format_parquet_row_group_size = 65536, output_format_parquet_row_group_size_bytes = 33554432
