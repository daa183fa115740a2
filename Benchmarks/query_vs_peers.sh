#!/usr/bin/env bash
# Whole-process query time: flowstore query vs nfdump over the same 3M reference flows, plus
# DuckDB (one thread, in-process) over the rows nfcapd stored. One run, same machine.
# usage: Benchmarks/query_vs_peers.sh [records]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${FLOWSTORE_SHARED:-$root/../shared}
n=${1:-3000000}
ref=/tmp/flowstore-ref-$n.dgrams
[ -f "$ref" ] || python3 "$shared/bench/gen_ipfix.py" "$n" "$ref"
(cd "$root" && swift build -c release --product flowstore >/dev/null)
(cd "$here" && swift build -c release --product flowstore-bench >/dev/null)
store=/tmp/flowstore-qbench
FLOWSTORE_REF=$ref "$here/.build/release/flowstore-bench" "$n" --keep "$store" | head -3
nfdir=/tmp/flowstore-qbench-nfcapd
if [ ! -d "$nfdir" ] || [ -z "$(ls -A "$nfdir" 2>/dev/null | grep nfcapd)" ]; then
  bash "$shared/bench/peer_nfcapd.sh" "$ref" "$nfdir" 40000
fi
fs="$root/.build/release/flowstore"
q1="SELECT dst_port, sum(bytes) AS b FROM flows GROUP BY dst_port ORDER BY b DESC LIMIT 10"
q2="SELECT src_addr, sum(bytes) AS b FROM flows GROUP BY src_addr ORDER BY b DESC LIMIT 10"
q3="SELECT dst_port, sum(bytes) AS b FROM flows WHERE time >= '2026-11-27T10:00:00Z' AND time < '2026-11-27T11:00:00Z' GROUP BY dst_port ORDER BY b DESC LIMIT 5"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # prints median wall ms of 7 runs of "$@"
  for _ in 1 2 3 4 5 6 7; do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median
}
a=$(timeit "$fs" query --data "$store" --format csv "$q1")
b=$(timeit nfdump -R "$nfdir" -s dstport/bytes -n 10)
echo "by dst_port: flowstore query ${a} ms, nfdump -s dstport/bytes ${b} ms, ratio $(echo "scale=2; $a/$b" | bc)"
a=$(timeit "$fs" query --data "$store" --format csv "$q2")
b=$(timeit nfdump -R "$nfdir" -s srcip/bytes -n 10)
echo "by src_addr: flowstore query ${a} ms, nfdump -s srcip/bytes ${b} ms, ratio $(echo "scale=2; $a/$b" | bc)"
a=$(timeit "$fs" query --data "$store" --format csv "$q3")
echo "one hour by dst_port: flowstore query ${a} ms"
"$fs" query --data "$store" "EXPLAIN $q3" || true
python3 "$shared/bench/peer_duckdb.py" "$nfdir" --threads 1 || echo "duckdb peer failed (pip install duckdb)"
