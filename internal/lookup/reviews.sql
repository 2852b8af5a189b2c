-- One row per requester: how many live reviews, and their averages on 1-5.
SELECT
    requester_id,
    count() AS reviews,
    avg(pay) AS pay,
    avg(fairness) AS fairness,
    avg(communication) AS communication,
    avg(promptness) AS promptness,
    max(last_update) AS last_at,
    countIf(communication >= 4) AS comm_yes,
    countIf(pay >= 3 AND fairness >= 4) AS recommend_yes
FROM (
    SELECT requester_id, reporter,
        argMax(pay, updated_at) AS pay, argMax(fairness, updated_at) AS fairness,
        argMax(communication, updated_at) AS communication, argMax(promptness, updated_at) AS promptness,
        argMax(deleted, updated_at) AS deleted, max(updated_at) AS last_update
    FROM reviews
    GROUP BY requester_id, reporter
)
WHERE deleted = 0
GROUP BY requester_id
