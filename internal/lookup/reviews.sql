-- One row per requester: how many live reviews (each reporter's latest), their averages on 1-5,
-- and the counts Turkopticon 2's aggregates need.
SELECT
    requester_id,
    count() AS reviews,
    avg(r_pay) AS avg_pay,
    avg(r_fairness) AS avg_fairness,
    avg(r_communication) AS avg_communication,
    avg(r_promptness) AS avg_promptness,
    max(last_update) AS last_at,
    countIf(r_communication >= 4) AS comm_yes,
    countIf(r_pay >= 3 AND r_fairness >= 4) AS recommend_yes
FROM (
    SELECT requester_id, reporter,
        argMax(pay, updated_at) AS r_pay, argMax(fairness, updated_at) AS r_fairness,
        argMax(communication, updated_at) AS r_communication, argMax(promptness, updated_at) AS r_promptness,
        argMax(deleted, updated_at) AS r_deleted, max(updated_at) AS last_update
    FROM reviews
    GROUP BY requester_id, reporter
)
WHERE r_deleted = 0
GROUP BY requester_id
