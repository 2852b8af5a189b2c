-- The unflagged records a figures query reads (see figures.sql), with what every scope needs: a
-- 64-bit hash of the reporter (grouping by a number is several times faster than by the 64-character
-- pseudonym; a collision would take two of ten million reporters) and the record's derived figures.
-- Recompute copies it once into an in-memory table that every scope then reads; live queries read it
-- as a subquery with their filter in Where.
SELECT
    requester_id, hit_set_id, cityHash64(reporter) AS rp,
    start_ms, end_ms, secs, is_submitted, paid, offered, task_hourly, status, decision_secs,
    allotted_seconds, at, received_at, requester_name, title, reward
FROM wage_records
WHERE flag = '' {{.Where}}
