#!/usr/bin/env bash
# coldpages.sh REPO PORT: builds REPO's binaries, a 1M-record demo store, serves it, and times
# 200 different requester pages, each asked once (never read before), one at a time.
set -uo pipefail
repo=$1; port=$2
cd "$repo"
go build -o /tmp/cp-$port-web ./cmd/web
go build -o /tmp/cp-$port-collector ./cmd/collector
d=$(mktemp -d)
/tmp/cp-$port-collector demo --data "$d" --requesters 5000 --records 1000000 --reporters 10000 >/dev/null 2>&1
/tmp/cp-$port-web --addr 127.0.0.1:$port --data "$d" --access-log=false --jobs=false --client-rate 0 >/tmp/cp-$port.log 2>&1 &
pid=$!
for i in $(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 1; done
all=$(for q in a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 lab co inc survey research; do curl -s "http://127.0.0.1:$port/api/v1/search?q=$q&limit=100"; done | grep -o '"requester_id":"A[0-9A-Z]*"' | cut -d'"' -f4 | sort -u)
ids=$(echo "$all" | head -200)
rest=$(echo "$all" | tail -n +201)
n=$(echo "$ids" | wc -l)
: > /tmp/cp-$port.times
for id in $ids; do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port/requesters/$id" >> /tmp/cp-$port.times
done
t0=$(date +%s.%N)
echo "$rest" | xargs -P 64 -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port/requesters/{}" > /tmp/cp-$port.conc
t1=$(date +%s.%N)
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$d"
echo "pages: $n"
awk '{print $1}' /tmp/cp-$port.times | sort | uniq -c
awk '{print $2*1000}' /tmp/cp-$port.times | sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n", a[int(NR*0.5)], a[int(NR*0.9)], a[int(NR*0.99)], a[NR]}'
echo "64 at once: $(wc -l < /tmp/cp-$port.conc) pages in $(echo "$t1 - $t0" | bc) s"
awk '{print $1}' /tmp/cp-$port.conc | sort | uniq -c
awk '{print $2*1000}' /tmp/cp-$port.conc | sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n", a[int(NR*0.5)], a[int(NR*0.9)], a[int(NR*0.99)], a[NR]}'
