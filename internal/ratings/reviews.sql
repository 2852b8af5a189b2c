-- Review averages per requester: the newest version of each reporter's review (FINAL), deleted ones
-- left out, each rating counted only when it is on the 1-5 scale (0 is no rating: every rating is
-- optional). reviews counts the reviews that give at least one rating: a review with only a text
-- or a flag says nothing about the stars (rv.pay is the column, not the pay alias below).
-- requester_id '' is the whole market of the platform plat.
SELECT
    if(grouping(requester_id) = 1, '', requester_id) AS rid,
    any(if(position(requester_id, ':') = 0, 'mturk', substring(requester_id, 1, position(requester_id, ':') - 1))) AS plat,
    countIf(rv.pay BETWEEN 1 AND 5 OR rv.fairness BETWEEN 1 AND 5 OR rv.communication BETWEEN 1 AND 5
        OR rv.promptness BETWEEN 1 AND 5) AS reviews,
    avgIf(pay, pay BETWEEN 1 AND 5) AS pay,
    avgIf(fairness, fairness BETWEEN 1 AND 5) AS fairness,
    avgIf(communication, communication BETWEEN 1 AND 5) AS communication,
    avgIf(promptness, promptness BETWEEN 1 AND 5) AS promptness
FROM reviews AS rv FINAL
WHERE deleted = 0
GROUP BY GROUPING SETS ((requester_id), (if(position(requester_id, ':') = 0, 'mturk',
    substring(requester_id, 1, position(requester_id, ':') - 1))))
