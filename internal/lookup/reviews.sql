-- One row per requester: how many live reviews (each reporter's latest), each rating's average on
-- 1-5 over the reviews that give that rating (0 is no rating) with its own count, the flag counts,
-- and the counts Turkopticon 2's aggregates need. An average with no rating behind it is 0.
SELECT
    requester_id,
    count() AS reviews,
    ifNotFinite(avgIf(r_pay, r_pay BETWEEN 1 AND 5), 0) AS avg_pay,
    ifNotFinite(avgIf(r_fairness, r_fairness BETWEEN 1 AND 5), 0) AS avg_fairness,
    ifNotFinite(avgIf(r_communication, r_communication BETWEEN 1 AND 5), 0) AS avg_communication,
    ifNotFinite(avgIf(r_promptness, r_promptness BETWEEN 1 AND 5), 0) AS avg_promptness,
    countIf(r_pay BETWEEN 1 AND 5) AS pay_n,
    countIf(r_fairness BETWEEN 1 AND 5) AS fairness_n,
    countIf(r_communication BETWEEN 1 AND 5) AS communication_n,
    countIf(r_promptness BETWEEN 1 AND 5) AS promptness_n,
    countIf(r_tos) AS tos_violation,
    countIf(r_broken) AS broken_task,
    max(last_update) AS last_at,
    countIf(r_communication >= 4) AS comm_yes,
    countIf(r_pay BETWEEN 1 AND 5 AND r_fairness BETWEEN 1 AND 5) AS recommend_n,
    countIf(r_pay >= 3 AND r_fairness >= 4) AS recommend_yes
FROM (
    SELECT requester_id, reporter,
        argMax(pay, updated_at) AS r_pay, argMax(fairness, updated_at) AS r_fairness,
        argMax(communication, updated_at) AS r_communication, argMax(promptness, updated_at) AS r_promptness,
        argMax(tos_violation, updated_at) AS r_tos, argMax(broken_task, updated_at) AS r_broken,
        argMax(deleted, updated_at) AS r_deleted, max(updated_at) AS last_update
    FROM reviews
    GROUP BY requester_id, reporter
)
WHERE r_deleted = 0
GROUP BY requester_id
