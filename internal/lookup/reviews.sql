-- One row per requester: how many counted reviews (live_reviews, migration 0012: each author's
-- latest live review, leaving out those possibly the requester's own and those readers' flags
-- hide), each rating's average on 1-5 over the reviews that give that rating (0 is no rating) with
-- its own count, the flag counts, and the counts Turkopticon 2's aggregates need. An average with
-- no rating behind it is 0.
SELECT
    requester_id,
    count() AS n_reviews,
    ifNotFinite(avgIf(pay, pay BETWEEN 1 AND 5), 0) AS avg_pay,
    ifNotFinite(avgIf(fairness, fairness BETWEEN 1 AND 5), 0) AS avg_fairness,
    ifNotFinite(avgIf(communication, communication BETWEEN 1 AND 5), 0) AS avg_communication,
    ifNotFinite(avgIf(promptness, promptness BETWEEN 1 AND 5), 0) AS avg_promptness,
    countIf(pay BETWEEN 1 AND 5) AS pay_n,
    countIf(fairness BETWEEN 1 AND 5) AS fairness_n,
    countIf(communication BETWEEN 1 AND 5) AS communication_n,
    countIf(promptness BETWEEN 1 AND 5) AS promptness_n,
    countIf(tos_violation) AS tos_n,
    countIf(broken_task) AS broken_n,
    max(updated_at) AS last_at,
    countIf(communication >= 4) AS comm_yes,
    countIf(pay BETWEEN 1 AND 5 AND fairness BETWEEN 1 AND 5) AS recommend_n,
    countIf(pay >= 3 AND fairness >= 4) AS recommend_yes
FROM live_reviews
WHERE counted
GROUP BY requester_id
