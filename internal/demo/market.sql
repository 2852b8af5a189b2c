-- The task records of a generated market, made inside ClickHouse from numbers() so that ten million
-- cost seconds, not minutes of Go. Rendered by market.go; every value is a bound parameter.
--
-- Record n (from {offset}) is drawn from hashes of ({seed}, n): the same seed and numbers give the
-- same records, and a later batch (a higher offset) continues the same market.
--   * Requesters: a long tail (requester i is drawn with u^3 over {requesters}, so a handful hold a
--     large share); each has a pay habit (log-normal factor, sigma 0.6) and a rejection habit.
--     Curated (the demo): the requesters and HIT groups made in Go, drawn with u^2.
--   * HIT groups: 1-8 per requester, each of a kind (typical minutes and reward, {kind_*}); its reward
--     is the kind's times the requester's habit, snapped to the nearest common price point
--     ({prices}: $0.01, $0.05, $0.10, ... in log distance), so rewards cluster as on MTurk.
--   * Times: log-normal around the group's typical time (sigma 0.45, Box-Muller from two hashes).
--   * Reporters: record n is reporter n % {reporters}'s k-th task (k = n / {reporters}); tasks come in
--     sessions of 10 started at a random moment of the last {span} seconds before {end}, one task
--     every 40 minutes (a long task runs into the next, as a worker's queue does); one reporter in ten
--     keeps several tasks open (one every 90 s), so merged time and the overlap rules have work to do.
--   * Statuses: 4 % returned, 1 % abandoned, rejected by the requester's habit, pending when finished
--     in the last three days, else approved after 1-72 hours; one task in 40 carries a bonus.
--     Closed (the demo's MTurk archive): {end} is the platform's close, and no decision comes after it.
INSERT INTO task_records (requester_id, record_key, reporter, hit_set_id, hit_id, assignment_id, requester_name,
    title, reward, bonus, accepted_at, finished_at, duration_seconds, status, decided_at, allotted_seconds, source,
    received_at, version)
SELECT
    m_requester_id, m_assignment, m_reporter, m_hit_set_id, '', m_assignment, m_requester_name,
    m_title, m_reward, m_bonus, m_accepted, m_finished, m_secs, m_status, m_decided, m_allotted, 'demo',
    m_finished + toIntervalMinute(1) AS m_received, toUInt64(toUnixTimestamp64Nano(m_received))
FROM
(
    SELECT
        n,
{{- if .Curated}}
        {r_first:Array(UInt32)} AS firsts,
        toUInt32(least(floor(pow(u_req, 2) * length(firsts)), toFloat64(length(firsts) - 1))) + 1 AS ri,
        firsts[ri] + cityHash64({seed:UInt64}, n, 'slot') % {r_count:Array(UInt32)}[ri] + 1 AS gi,
        {g_requester:Array(String)}[gi] AS m_requester_id,
        {g_name:Array(String)}[gi] AS m_requester_name,
        {g_hit:Array(String)}[gi] AS m_hit_set_id,
        {g_title:Array(String)}[gi] AS m_title,
        toDecimal64({g_cents:Array(UInt32)}[gi], 2) / 100 AS m_reward,
        {g_minutes:Array(Float64)}[gi] AS m_minutes,
        {g_allotted:Array(UInt32)}[gi] AS m_allotted,
        {r_reject:Array(Float64)}[ri] AS m_reject,
        {reporter_ids:Array(String)} AS reps,
        n % length(reps) AS w,
        intDiv(n, length(reps)) AS k,
        reps[w + 1] AS m_reporter,
{{- else}}
        toUInt64(least(floor(pow(u_req, 3) * {requesters:UInt64}), toFloat64({requesters:UInt64} - 1))) AS ri,
        cityHash64({seed:UInt64}, ri, 'group') AS gh0,
        cityHash64({seed:UInt64}, ri, cityHash64({seed:UInt64}, n, 'slot') % (1 + gh0 % 8)) AS gh,
        gh % length({kind_title:Array(String)}) + 1 AS kind,
        -- the requester's habits and the group's typical time, from hashes of the requester and group
        sqrt(-2 * log(((cityHash64({seed:UInt64}, ri, 'p1') % 1000000) + 0.5) / 1000000))
            * cos(2 * pi() * ((cityHash64({seed:UInt64}, ri, 'p2') % 1000000) + 0.5) / 1000000) AS z_pay,
        sqrt(-2 * log(((cityHash64({seed:UInt64}, ri, 'r1') % 1000000) + 0.5) / 1000000))
            * cos(2 * pi() * ((cityHash64({seed:UInt64}, ri, 'r2') % 1000000) + 0.5) / 1000000) AS z_rej,
        sqrt(-2 * log(((cityHash64(gh, 't1') % 1000000) + 0.5) / 1000000))
            * cos(2 * pi() * ((cityHash64(gh, 't2') % 1000000) + 0.5) / 1000000) AS z_time,
        {kind_reward:Array(Float64)}[kind] * exp(0.6 * z_pay) * (0.7 + 0.6 * (cityHash64(gh, 'u') % 1000) / 1000) AS raw_reward,
        arrayReduce('argMin', {prices:Array(Float64)}, arrayMap(p -> abs(log(p / raw_reward)), {prices:Array(Float64)})) AS price,
        concat('A', leftPad(hex(cityHash64({seed:UInt64}, ri, 'id')), 16, '0')) AS m_requester_id,
        concat({name1:Array(String)}[ri % length({name1:Array(String)}) + 1], ' ',
               {name2:Array(String)}[intDiv(ri, length({name1:Array(String)})) % length({name2:Array(String)}) + 1], ' ',
               toString(ri + 1)) AS m_requester_name,
        concat(leftPad(hex(gh), 16, '0'), substring(leftPad(hex(cityHash64(gh, 'id')), 16, '0'), 1, 14)) AS m_hit_set_id,
        replaceOne({kind_title:Array(String)}[kind], '%s', {topics:Array(String)}[gh % length({topics:Array(String)}) + 1]) AS m_title,
        toDecimal64(toUInt32(round(price * 100)), 2) / 100 AS m_reward,
        {kind_minutes:Array(Float64)}[kind] * exp(0.3 * z_time) AS m_minutes,
        toUInt32(greatest(300, m_minutes * 60 * (3 + gh % 10))) AS m_allotted,
        least(0.6, abs(0.05 * z_rej) + (ri % 9 = 8) * 0.2) AS m_reject,
        n % {reporters:UInt64} AS w,
        intDiv(n, {reporters:UInt64}) AS k,
        lower(hex(SHA256(concat('hitwage-demo-reporter:', toString({seed:UInt64}), ':', toString(w))))) AS m_reporter,
{{- end}}
        -- the reporter's schedule: session k / 10, slot k % 10
        cityHash64({seed:UInt64}, w, 'batch') % 10 = 0 AS batcher,
        cityHash64({seed:UInt64}, w, intDiv(k, 10)) % greatest({span:UInt32} - 36000, 3600) AS session_start,
        {end:DateTime64(3, 'UTC')} - toIntervalSecond({span:UInt32})
            + toIntervalSecond(session_start + (k % 10) * if(batcher, 90, 2400) + cityHash64({seed:UInt64}, n, 'j') % 300) AS m_accepted,
        sqrt(-2 * log(u_t1)) * cos(2 * pi() * u_t2) AS z_secs,
        toUInt32(greatest(5, m_minutes * 60 * exp(0.45 * z_secs))) AS m_secs,
        m_accepted + toIntervalSecond(m_secs) AS m_finished,
        CAST(multiIf(u_st < 0.04, 'returned', u_st < 0.05, 'abandoned', u_st < 0.05 + m_reject, 'rejected',
                m_finished > {end:DateTime64(3, 'UTC')} - toIntervalHour(72), 'pending', 'approved'),
             'Enum8(\'submitted\' = 1, \'pending\' = 2, \'approved\' = 3, \'rejected\' = 4, \'returned\' = 5, \'abandoned\' = 6)') AS m_status,
{{- if .Closed}}
        if(m_status IN ('approved', 'rejected'), least(m_finished + toIntervalHour(1 + cityHash64({seed:UInt64}, n, 'd') % 72), {end:DateTime64(3, 'UTC')}), NULL) AS m_decided,
{{- else}}
        if(m_status IN ('approved', 'rejected'), m_finished + toIntervalHour(1 + cityHash64({seed:UInt64}, n, 'd') % 72), NULL) AS m_decided,
{{- end}}
        if(cityHash64({seed:UInt64}, n, 'bonus') % 40 = 0, toDecimal64(5 + cityHash64({seed:UInt64}, n, 'bv') % 95, 2) / 100,
           toDecimal64(0, 2)) AS m_bonus,
        concat(leftPad(hex(cityHash64({seed:UInt64}, n, 'a1')), 16, '0'),
               substring(leftPad(hex(cityHash64({seed:UInt64}, n, 'a2')), 16, '0'), 1, 14)) AS m_assignment
    FROM
    (
        SELECT number + {offset:UInt64} AS n,
            ((cityHash64({seed:UInt64}, n, 'req') % 1000000) + 0.5) / 1000000 AS u_req,
            ((cityHash64({seed:UInt64}, n, 't1') % 1000000) + 0.5) / 1000000 AS u_t1,
            ((cityHash64({seed:UInt64}, n, 't2') % 1000000) + 0.5) / 1000000 AS u_t2,
            ((cityHash64({seed:UInt64}, n, 'st') % 1000000) + 0.5) / 1000000 AS u_st
        FROM numbers({n:UInt64})
    )
)
