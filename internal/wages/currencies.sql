-- The currency of each requester with records in several (requester_currencies): the one most of its
-- reporters name, then most records, then the alphabetically first; as (requester ids, currencies).
-- Included by source.sql; the records cache compares it with the one its copy was made under.
SELECT (groupArray(c_rid), groupArray(c_cur)) FROM (
    SELECT c_rid, argMin(c_cur, (-toInt64(c_r), -toInt64(c_n), c_cur)) AS c_cur
    FROM (SELECT requester_id AS c_rid, currency AS c_cur, uniqExactMerge(reporters) AS c_r, sum(n) AS c_n
          FROM requester_currencies
          WHERE requester_id IN (SELECT requester_id FROM requester_currencies GROUP BY requester_id
                                 HAVING uniqExact(currency) > 1)
          GROUP BY c_rid, c_cur)
    GROUP BY c_rid
    ORDER BY c_rid)