#!/usr/bin/env bash
# loadtest.sh: the API lookup load test of docs/benchmarks.md, on loopback only.
# Needs wrk (apt-get install wrk). Builds a 2,000-requester demo store in a temp dir, serves it, and
# runs wrk against one requester and against a 100-id batch, 10 s each, at 256 and 64 connections, then
# against one requester's HTML page at 64.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "loadtest: install wrk (apt-get install wrk)" >&2; exit 1; }
make build >/dev/null
dir=$(mktemp -d) addr=127.0.0.1:${PORT:-18099}
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
./bin/collector demo --data "$dir" --requesters 2000 --records 200000 --reporters 3000
./bin/web --addr "$addr" --data "$dir" --access-log=false --jobs=false >"$dir/web.log" 2>&1 &
pid=$!
for _ in $(seq 60); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 1; done
ids=$(curl -s "http://$addr/api/v1/search?q=a&limit=100" | python3 -c 'import json,sys; print(",".join(r["requester_id"] for r in json.load(sys.stdin)["results"]))')
one=${ids%%,*}
for c in 256 64; do
  echo "== one requester, $c connections"
  wrk -t2 -c"$c" -d10s --latency "http://$addr/api/v1/requesters/$one" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
  echo "== 100-id batch, $c connections"
  wrk -t2 -c"$c" -d10s --latency "http://$addr/api/v1/requesters?ids=$ids" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
done
echo "== one requester's page (HTML; groups, charts and reviews kept per directory snapshot), 64 connections"
wrk -t2 -c64 -d10s --latency "http://$addr/requesters/$one" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
