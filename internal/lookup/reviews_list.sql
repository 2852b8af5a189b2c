SELECT pay, fairness, communication, promptness, text, tos_violation, broken_task, last_at
FROM (
    SELECT argMax(pay, updated_at) AS pay, argMax(fairness, updated_at) AS fairness,
        argMax(communication, updated_at) AS communication, argMax(promptness, updated_at) AS promptness,
        argMax(text, updated_at) AS text, argMax(tos_violation, updated_at) AS tos_violation,
        argMax(broken_task, updated_at) AS broken_task, argMax(deleted, updated_at) AS deleted, max(updated_at) AS last_at
    FROM reviews
    WHERE requester_id = {rid:String}
    GROUP BY reporter
)
WHERE deleted = 0
ORDER BY last_at DESC
LIMIT {limit:UInt32}
