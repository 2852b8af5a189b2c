-- Review averages per requester: the newest version of each reporter's review (FINAL), deleted ones
-- left out, each rating counted only when it is on the 1-5 scale. requester_id '' is the whole market.
SELECT
    if(grouping(requester_id) = 1, '', requester_id) AS rid,
    count() AS reviews,
    avgIf(pay, pay BETWEEN 1 AND 5) AS pay,
    avgIf(fairness, fairness BETWEEN 1 AND 5) AS fairness,
    avgIf(communication, communication BETWEEN 1 AND 5) AS communication,
    avgIf(promptness, promptness BETWEEN 1 AND 5) AS promptness
FROM reviews FINAL
WHERE deleted = 0
GROUP BY ROLLUP(requester_id)
