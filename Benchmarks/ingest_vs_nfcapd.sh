#!/bin/bash
# Ingest of the reference stream, flowstore serve vs nfcapd, side by side in one run.
# Prints, for each: records stored (of the stream's), CPU seconds of the collector process,
# and the CPU ratio flowstore/nfcapd (target <= 0.5) and loss at the replay rate (target 0).
#
# usage: Benchmarks/ingest_vs_nfcapd.sh [RECORDS (3000000)] [PPS (40000)]
# Needs: a release build (swift build -c release --product flowstore), python3 + numpy,
# nfcapd/nfdump (Debian nfdump). FLOWSTORE_SHARED points at the shared kit (default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
PPS=${2:-40000}
SHARED=${FLOWSTORE_SHARED:-$(pwd)/../shared}
BIN=.build/release/flowstore
swift build -c release --product flowstore > /dev/null
DG=/tmp/ref-$N.dgrams
[ -f "$DG" ] || python3 "$SHARED/bench/gen_ipfix.py" "$N" "$DG"
TCK=$(getconf CLK_TCK)

# flowstore serve
DATA=$(mktemp -d /tmp/fs-bench.XXXXXX)
PORT=$((40000 + RANDOM % 20000))
# The subshell runs serve in the foreground so that `times` reports its CPU including the
# drain, seal and close after SIGINT.
( "$BIN" serve --data "$DATA" --listen 127.0.0.1:$PORT 2> "$DATA.log"; times > "$DATA.times" ) &
SUB=$!
sleep 1
PID=$(pgrep -P $SUB -f "flowstore serve")
python3 "$SHARED/bench/udp_replay.py" "$DG" $PORT --pps "$PPS" > /dev/null
sleep 2
read -r UT ST < <(awk '{print $14, $15}' /proc/$PID/stat)
kill -INT $PID
wait $SUB
# Same method as peer_nfcapd.sh (CPU up to the signal), and the total including shutdown.
FS_CPU=$(echo "scale=2; ($UT+$ST)/$TCK" | bc)
FS_TOTAL=$(tail -1 "$DATA.times" | awk '{ split($1, u, "m"); split($2, s, "m"); sub("s", "", u[2]); sub("s", "", s[2]); printf "%.2f", u[1]*60 + u[2] + s[1]*60 + s[2] }')
FS_ROWS=$("$BIN" info --data "$DATA" | awk '/^  rows/ {gsub(",","",$2); print $2}')
FS_BYTES=$(du -sb "$DATA" | cut -f1)
echo "flowstore records=$FS_ROWS of $N loss=$((N - FS_ROWS)) cpu_s=$FS_CPU cpu_s_with_shutdown=$FS_TOTAL disk_bytes=$FS_BYTES"

# nfcapd, same datagrams, same rate
NF_LINE=$("$SHARED/bench/peer_nfcapd.sh" "$DG" /tmp/nfc-bench "$PPS")
echo "$NF_LINE"
NF_CPU=$(echo "$NF_LINE" | sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p')
NF_ROWS=$(echo "$NF_LINE" | sed -n 's/.*records=\([0-9]*\).*/\1/p')
echo "nfcapd loss=$((N - NF_ROWS))"
echo "cpu ratio flowstore/nfcapd = $(echo "scale=3; $FS_CPU/$NF_CPU" | bc) (target <= 0.5)"
echo "cpu ratio including flowstore's drain+seal = $(echo "scale=3; $FS_TOTAL/$NF_CPU" | bc)"
rm -rf "$DATA" "$DATA.log" "$DATA.times"
