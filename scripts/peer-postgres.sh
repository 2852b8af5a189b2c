#!/usr/bin/env bash
# peer-postgres.sh: hitwage against PostgreSQL on the same generated market (issue 20), loopback only.
#
# It generates a market with `collector demo` (RECORDS MTurk records, default 1,000,000), writes its timed
# MTurk records as one CSV (scripts/peer), then:
#   hitwage:    `collector import` of the CSV into a fresh store, then a full recompute of every figure;
#   PostgreSQL: `COPY` of the same CSV into a table, then the Hara-style effective wage per requester
#               (overlapping tasks of a worker merged with window functions) in one query.
# and prints both systems' times and the ratios side by side. PostgreSQL comes from Debian's packages
# (installed with apt-get when missing, where the machine may), runs as the postgres user in a temporary
# cluster on 127.0.0.1, and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${RECORDS:-1000000}
PORT=${PGPORT:-54329}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "peer-postgres: installing PostgreSQL from Debian's packages" >&2
  apt-get install -y -q postgresql >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
dir=$(mktemp -d /tmp/hitwage-peer.XXXXXX)
chmod 755 "$dir"
cleanup() {
  if [ -f "$dir/pg/postmaster.pid" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

go build -o "$dir/collector" ./cmd/collector
go build -o "$dir/peer" ./scripts/peer
echo "generating $RECORDS MTurk records..." >&2
"$dir/collector" demo --query-timeout 30m --data "$dir/gen" --requesters $((RECORDS / 200)) --records "$RECORDS" --reporters $((RECORDS / 100)) --submissions 1 >/dev/null
"$dir/peer" csv --data "$dir/gen" --out "$dir/market.csv"
rows=$(($(wc -l < "$dir/market.csv") - 1))
chmod 644 "$dir/market.csv"

# hitwage
t0=$(now)
/usr/bin/time -o "$dir/import.rss" -f %M "$dir/collector" import --query-timeout 30m --data "$dir/hw" "$dir/market.csv" >/dev/null
t1=$(now)
hw_import=$(secs "$t0" "$t1")
hw_recompute=$(/usr/bin/time -o "$dir/recompute.rss" -f %M "$dir/peer" recompute --data "$dir/hw" 2>"$dir/recompute.log")
hw_resident=$(sed -n 's/^peer: resident after the recompute: \([0-9]*\) MiB$/\1/p' "$dir/recompute.log")
hw_bytes=$(du -sb "$dir/hw" | cut -f1)

# PostgreSQL
mkdir "$dir/pg" "$dir/sock" && chown postgres "$dir/pg" "$dir/sock"
runuser -u postgres -- "$PGBIN/initdb" -D "$dir/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/pg" -l "$dir/pg/log" -w \
  -o "-p $PORT -k $dir/sock -h 127.0.0.1 -c shared_buffers=1GB -c work_mem=256MB -c max_wal_size=4GB" start >/dev/null
psql() { runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE TABLE records (assignment_id text, worker_id text, requester_id text, hit_set_id text, reward numeric(10,2),
  bonus numeric(10,2), accepted_at timestamptz, finished_at timestamptz, status text)"
t0=$(now)
psql -c "COPY records FROM '$dir/market.csv' WITH (FORMAT csv, HEADER true)"
t1=$(now)
pg_copy=$(secs "$t0" "$t1")
psql -c "VACUUM ANALYZE records"
# The effective wage per requester after Hara et al.: pay of submitted, pending and approved tasks over the
# time worked, a worker's overlapping tasks merged into runs (a new run starts where a task starts after
# every earlier one ended).
pg_bytes=$(psql -At -c "SELECT pg_total_relation_size('records')")
t0=$(now)
psql -At -c "
WITH t AS (
  SELECT requester_id, worker_id, accepted_at AS s, finished_at AS e,
         CASE WHEN status IN ('submitted', 'pending', 'approved') THEN reward + bonus ELSE 0 END AS paid
  FROM records),
o AS (
  SELECT *, max(e) OVER (PARTITION BY requester_id, worker_id ORDER BY s, e
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM t),
g AS (
  SELECT *, sum(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END)
              OVER (PARTITION BY requester_id, worker_id ORDER BY s, e) AS run
  FROM o),
runs AS (
  SELECT requester_id, sum(paid) AS paid, extract(epoch FROM max(e) - min(s)) AS secs
  FROM g GROUP BY requester_id, worker_id, run)
SELECT count(*) FROM (
  SELECT requester_id, sum(paid) / nullif(sum(secs), 0) * 3600 AS effective_hourly
  FROM runs GROUP BY requester_id) x" >/dev/null
t1=$(now)
pg_wage=$(secs "$t0" "$t1")

printf '\n%s records (%s CSV); times in seconds\n\n' "$rows" "$(du -h "$dir/market.csv" | cut -f1)"
printf '| step | hitwage | PostgreSQL | hitwage / PostgreSQL |\n|---|---:|---:|---:|\n'
printf '| load the CSV | %.2f (%.0f records/s) | %.2f (%.0f records/s, COPY) | %.2f |\n' \
  "$hw_import" "$(echo "$rows / $hw_import" | bc -l)" "$pg_copy" "$(echo "$rows / $pg_copy" | bc -l)" "$(echo "$hw_import / $pg_copy" | bc -l)"
printf '| figures | %.2f (every figure: requesters, groups, market, trends) | %.2f (the effective wage per requester alone) | %.2f |\n' \
  "$hw_recompute" "$pg_wage" "$(echo "$hw_recompute / $pg_wage" | bc -l)"
printf '| memory | peak (max RSS): import %.0f MiB, recompute %.0f MiB; resident after the recompute %s MiB | (shared_buffers 1 GiB) | |\n' \
  "$(echo "$(cat "$dir/import.rss") / 1024" | bc -l)" "$(echo "$(cat "$dir/recompute.rss") / 1024" | bc -l)" "${hw_resident:-?}"
printf '| bytes on disk per record | %.0f (the whole store) | %.0f (the table) | %.2f |\n' \
  "$(echo "$hw_bytes / $rows" | bc -l)" "$(echo "$pg_bytes / $rows" | bc -l)" "$(echo "$hw_bytes / $pg_bytes" | bc -l)"
