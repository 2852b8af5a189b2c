#!/usr/bin/env bash
# coldpages.sh REPO PORT [RECORDS]: builds REPO's binaries, a demo store of RECORDS task records (default
# 1,000,000; 200 a requester), serves it, waits until its requester pages' rows are made, and times
# requester pages never asked before (scripts/pageload): 200 one at a time, then the rest 64 at once.
# Loopback only.
set -uo pipefail
repo=$1; port=$2; records=${3:-1000000}
cd "$repo"
go build -o /tmp/cp-$port-web ./cmd/web
go build -o /tmp/cp-$port-collector ./cmd/collector
go build -o /tmp/cp-$port-pageload ./scripts/pageload
d=$(mktemp -d)
/tmp/cp-$port-collector demo --query-timeout 30m --data "$d" --requesters $((records / 200)) --records "$records" --reporters $((records / 100)) >/dev/null 2>&1
/tmp/cp-$port-web --addr 127.0.0.1:$port --data "$d" --access-log=false --jobs=false --client-rate 0 >/tmp/cp-$port.log 2>&1 &
pid=$!
for i in $(seq 1 600); do grep -q "page rows" /tmp/cp-$port.log && break; sleep 1; done
grep "page rows" /tmp/cp-$port.log
/tmp/cp-$port-pageload --base http://127.0.0.1:$port
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$d"
