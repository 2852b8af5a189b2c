-- Requesters with unflagged task records in the period or the one before it ({prev} to {from} to {to}):
-- records and distinct reporters (rq: a token, or a worker a relay or an import names) in each, largest by this period's records first.
SELECT
    requester_id,
    countIf(at >= {from:DateTime64(3, 'UTC')}) AS records,
    uniqExactIf(rq, at >= {from:DateTime64(3, 'UTC')}) AS reporters,
    countIf(at < {from:DateTime64(3, 'UTC')}) AS prev_records,
    uniqExactIf(rq, at < {from:DateTime64(3, 'UTC')}) AS prev_reporters
FROM wage_records
WHERE flag = '' AND platform = {plat:String} AND at >= {prev:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
GROUP BY requester_id
ORDER BY records DESC, prev_records DESC, requester_id
