-- Prolific studies' latest listings (listing_snapshots of source 'prolific-studies', written by
-- histories.StoreStudies, migration 0013): per study, the values of its newest snapshot (one
-- snapshot's, never a mix: argMax of the tuple) with when it was first and last seen. Where is a
-- fixed filter (a researcher's studies, or one study) whose values are bound parameters.
SELECT
    hit_set_id,
    requester_id,
    tupleElement(l, 1) AS requester_name,
    tupleElement(l, 2) AS title,
    tupleElement(l, 3) AS reward,
    tupleElement(l, 4) AS currency,
    tupleElement(l, 5) AS advertised_hourly,
    tupleElement(l, 6) AS estimated_seconds,
    tupleElement(l, 7) AS average_seconds,
    tupleElement(l, 8) AS places,
    tupleElement(l, 9) AS max_seconds,
    first_seen,
    last_seen,
    snapshots
FROM
(
    SELECT
        hit_set_id,
        requester_id,
        argMax((requester_name, title, reward, toString(currency), advertised_hourly, estimated_seconds, average_seconds,
                places, assignment_duration_seconds), crawled_at) AS l,
        min(crawled_at) AS first_seen,
        max(crawled_at) AS last_seen,
        count() AS snapshots
    FROM listing_snapshots
    WHERE source = {src:String} AND {{.Where}}
    GROUP BY requester_id, hit_set_id
)
ORDER BY last_seen DESC, hit_set_id
LIMIT {n:UInt32}
