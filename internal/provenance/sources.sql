-- How requesters' task records split by the kind of source they came from (source_kind,
-- migration 0013: api, import:<format>, upload:<format>, forum, demo; import and other for rows
-- written before formats were recorded). records are those its figures read (unflagged), untimed
-- those of them without a time on task (in the approval figures, never in a wage), reporters the
-- distinct identities that count as one reporter (rq, as the figures count them) among them, and
-- flagged the records set aside (no time, over a day, over twice the time allotted, negative
-- amounts) that no figure reads. One pass over the requester's records (the primary key's prefix).
SELECT
    requester_id,
    toString(source_kind) AS kind,
    countIf(flag = '') AS records,
    countIf(flag = '' AND NOT timed) AS untimed,
    uniqExactIf(rq, flag = '') AS reporters,
    countIf(flag != '') AS flagged
FROM wage_records
WHERE requester_id IN {rids:Array(String)}
GROUP BY requester_id, kind
ORDER BY requester_id, kind
