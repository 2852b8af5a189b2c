-- The unflagged records of a figures query with their key columns (see figures.sql).
SELECT {{.K1}} AS k1, {{.K2}} AS k2, {{.K3}} AS k3, *
FROM wage_records
WHERE flag = '' {{.Where}}
