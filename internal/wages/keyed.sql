-- The records of a figures query with their scope's key (k1: requester, k2: HIT group, k3: time
-- bucket; '' when unused) and the key's hash kh, which the (key, reporter) pairs group by. Every key
-- is also keyed by platform and currency (cur, the requester's), so that no figure mixes two, and
-- each record carries its key's floor and target (kmin, ktarget: number kf of figures.sql's "floors").
SELECT CAST(cityHash64(platform, cur, {{.K1}}, {{.K2}}, {{.K3}}) AS UInt64) AS kh, {{.K1}} AS k1, {{.K2}} AS k2, {{.K3}} AS k3,
    arrayElement(arrayPushFront({floor_min:Array(Float64)}, {minimum:Float64}), kf + 1) AS kmin,
    arrayElement(arrayPushFront({floor_target:Array(Float64)}, {target:Float64}), kf + 1) AS ktarget, *
FROM {{template "records" .}}
