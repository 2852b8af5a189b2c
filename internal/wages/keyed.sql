-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by.
SELECT CAST(cityHash64({{.K1}}, {{.K2}}, {{.K3}}) AS UInt64) AS kh, {{.K1}} AS k1, {{.K2}} AS k2, {{.K3}} AS k3, *
FROM {{template "records" .}}
