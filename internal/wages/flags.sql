-- How many of a requester's records each record-level anti-gaming rule left out.
SELECT flag, count() AS records
FROM wage_records
WHERE requester_id = {rid:String} AND flag != ''
GROUP BY flag
ORDER BY flag
