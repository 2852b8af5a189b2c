#!/usr/bin/env bash
# soak.sh: the soak test of docs/benchmarks.md (issue 17), on loopback only, bounded in time.
# Builds a demo store of about 1,000,000 MTurk task records (5,000 requesters; the demo adds 250,000
# Prolific submissions) in a temp dir, creates reporting tokens, and runs scripts/soak: 1,000 connections
# of mixed reads (requester pages, JSON lookups, 100-id batches, badges) plus ingest batches with unique
# assignment ids for 60 s against bin/web, which is killed with SIGKILL at 30 s and restarted; web is
# stopped cleanly at the end and every record acknowledged with a 200 is looked for in the store.
# Environment: RECORDS (1000000), CONNS (1000), DURATION (60s), KILL_AT (30s), TOKENS (8: ingest
# workers, one batch of BATCH (100) records every 250 ms each), PORT (18097), KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
dir=$(mktemp -d) addr=127.0.0.1:${PORT:-18097}
trap '[ "${KEEP:-}" = 1 ] && echo "kept $dir" || rm -rf "$dir"' EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
go build -o "$dir/soak" ./scripts/soak
t=$(date +%s)
./bin/collector demo --data "$dir/data" --requesters 5000 --records "${RECORDS:-1000000}" --reporters 10000
echo "store built in $(( $(date +%s) - t )) s"
for i in $(seq "${TOKENS:-8}"); do
  ./bin/collector tokens create --label "soak-$i" --data "$dir/data" | awk '$1 ~ /^hwt_/ {print $1}'
done >"$dir/tokens"
[ "$(wc -l <"$dir/tokens")" -eq "${TOKENS:-8}" ] || { echo "soak: could not create the tokens" >&2; exit 1; }
rc=0
timeout 600 "$dir/soak" run --web ./bin/web --data "$dir/data" --addr "$addr" --tokens "$dir/tokens" \
  --acked "$dir/acked" --web-log "$dir/web.log" --conns "${CONNS:-1000}" --duration "${DURATION:-60s}" \
  --kill-at "${KILL_AT:-30s}" --batch "${BATCH:-100}" || rc=$?
echo "== web's log: errors and warnings"
grep -E 'level=(ERROR|WARN)|panic' "$dir/web.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -20 || true
echo "== acknowledged records in the store (web stopped)"
timeout 300 "$dir/soak" count --data "$dir/data" --acked "$dir/acked" || rc=$?
exit "$rc"
