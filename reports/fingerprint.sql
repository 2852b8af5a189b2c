-- A fingerprint of one period's task records (16 hex digits): the XOR of a hash of each deduplicated
-- record's key and version, so it changes when a record of the period arrives late or is reported
-- again (a new version: a later status, a decision time), whatever order they came in. Records are
-- placed in time as wage_records places them (finish time, else accept time, else receipt time).
SELECT leftPad(lower(hex(groupBitXor(cityHash64(requester_id, record_key, version)))), 16, '0')
FROM task_records FINAL
WHERE coalesce(finished_at, accepted_at, received_at) >= {from:DateTime64(3, 'UTC')}
  AND coalesce(finished_at, accepted_at, received_at) < {to:DateTime64(3, 'UTC')}
  AND if(position(requester_id, ':') = 0, 'mturk', substring(requester_id, 1, position(requester_id, ':') - 1)) = {plat:String}
