#!/bin/bash
# CPU of `flowstore serve` per thread while it ingests the reference stream at 40,000
# datagrams/s: one line per thread (tid, name, CPU seconds, user, system, minor page faults),
# then the process total, read from /proc before the signal (as ingest_vs_nfcapd.sh does).
#
# usage: Benchmarks/serve_threads.sh [RECORDS (3000000)]
# Needs a release build (swift build -c release --product flowstore), python3 + numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
SHARED=${FLOWSTORE_SHARED:-$(pwd)/../shared}
BIN=.build/release/flowstore
DG=/tmp/ref-$N.dgrams
[ -f "$DG" ] || python3 "$SHARED/bench/gen_ipfix.py" "$N" "$DG"
DATA=$(mktemp -d /tmp/fs-threads.XXXXXX)
PORT=$((40000 + RANDOM % 20000))
"$BIN" serve --data "$DATA" --listen 127.0.0.1:$PORT 2> "$DATA.log" &
PID=$!
sleep 1
python3 "$SHARED/bench/udp_replay.py" "$DG" $PORT --pps 40000 > /dev/null
sleep 2
TCK=$(getconf CLK_TCK)
for t in /proc/$PID/task/*; do
  awk -v tck="$TCK" '{ printf "%s %s cpu_s=%.2f user=%.2f sys=%.2f minflt=%d\n", $1, $2, ($14+$15)/tck, $14/tck, $15/tck, $10 }' "$t/stat"
done
awk -v tck="$TCK" '{ printf "total cpu_s=%.2f\n", ($14+$15)/tck }' /proc/$PID/stat
kill -INT $PID
wait $PID || true
rm -rf "$DATA" "$DATA.log"
