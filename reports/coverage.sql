-- Data coverage of one period: task records counted by the wage figures (unflagged), their reporters (rq, as the figures count them)
-- and requesters, the records the anti-gaming rules left out, and the first and last day with records.
SELECT
    countIf(flag = '') AS records,
    uniqExactIf(rq, flag = '') AS reporters,
    uniqExactIf(requester_id, flag = '') AS requesters,
    countIf(flag != '') AS flagged,
    countIf(flag = '' AND finished_at IS NULL) AS no_finish,
    if(records = 0, '', toString(toDate(minIf(at, flag = '')))) AS first_day,
    if(records = 0, '', toString(toDate(maxIf(at, flag = '')))) AS last_day
FROM wage_records
WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')} AND platform = {plat:String}
    AND flag != 'unattributed' -- a reporter's own records, no requester's: in no report
