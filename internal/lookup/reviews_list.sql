SELECT pay, fairness, communication, promptness, text, last_at
FROM (
    SELECT argMax(pay, updated_at) AS pay, argMax(fairness, updated_at) AS fairness,
        argMax(communication, updated_at) AS communication, argMax(promptness, updated_at) AS promptness,
        argMax(text, updated_at) AS text, argMax(deleted, updated_at) AS deleted, max(updated_at) AS last_at
    FROM reviews
    WHERE requester_id = {rid:String}
    GROUP BY reporter
)
WHERE deleted = 0
ORDER BY last_at DESC
LIMIT {limit:UInt32}
