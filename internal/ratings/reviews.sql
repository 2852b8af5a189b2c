-- Review averages per requester, over its counted reviews (live_reviews, migration 0012: each
-- author's newest live review, leaving out those possibly the requester's own and those readers'
-- flags hide), each rating counted only when it is on the 1-5 scale (0 is no rating: every rating
-- is optional). n_rated counts the reviews that give at least one rating: a review with only a text
-- or a flag says nothing about the stars. requester_id '' is the whole market of the platform plat.
SELECT
    if(grouping(requester_id) = 1, '', requester_id) AS rid,
    any(if(position(requester_id, ':') = 0, 'mturk', substring(requester_id, 1, position(requester_id, ':') - 1))) AS plat,
    countIf(rated) AS n_rated,
    avgIf(pay, pay BETWEEN 1 AND 5) AS avg_pay,
    avgIf(fairness, fairness BETWEEN 1 AND 5) AS avg_fairness,
    avgIf(communication, communication BETWEEN 1 AND 5) AS avg_communication,
    avgIf(promptness, promptness BETWEEN 1 AND 5) AS avg_promptness
FROM live_reviews
WHERE counted
GROUP BY GROUPING SETS ((requester_id), (if(position(requester_id, ':') = 0, 'mturk',
    substring(requester_id, 1, position(requester_id, ':') - 1))))
