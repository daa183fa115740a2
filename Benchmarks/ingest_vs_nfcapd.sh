#!/bin/bash
# Ingest of the reference stream, flowstore serve vs nfcapd, side by side in one run.
# Prints, for each: records stored (of the stream's), CPU seconds of the collector process,
# and the CPU ratio flowstore/nfcapd (target <= 0.5) and loss at the replay rate (target 0).
#
# usage: Benchmarks/ingest_vs_nfcapd.sh [RECORDS (3000000)] [PPS (40000)] [ROUNDS (1)]
# With ROUNDS > 1 the pair (flowstore, then nfcapd) runs that many times in a row and the
# median ratio is printed last: on a shared machine one pair's ratio moves by ±10 %.
# Needs: a release build (swift build -c release --product flowstore), python3 + numpy,
# nfcapd/nfdump (Debian nfdump). FLOWSTORE_SHARED points at the shared kit (default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
PPS=${2:-40000}
ROUNDS=${3:-1}
SHARED=${FLOWSTORE_SHARED:-$(pwd)/../shared}
BIN=.build/release/flowstore
swift build -c release --product flowstore > /dev/null
DG=/tmp/ref-$N.dgrams
[ -f "$DG" ] || python3 "$SHARED/bench/gen_ipfix.py" "$N" "$DG"
TCK=$(getconf CLK_TCK)

RATIOS=()
run_pair() {
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
  # Per thread: the event loop (NIO-ELT-*) and the busiest other thread (the ingest worker).
  THREADS=$(for t in /proc/$PID/task/*; do
    awk -v tck="$TCK" '{printf "%s %.2f\n", $2, ($14+$15)/tck}' "$t/stat"
  done)
  LOOP=$(echo "$THREADS" | awk '/NIO-ELT/ {print $2; exit}')
  WORKER=$(echo "$THREADS" | awk '!/NIO-ELT/ && $2 > m {m = $2} END {print m}')
  kill -INT $PID
  wait $SUB
  # Same method as peer_nfcapd.sh (CPU up to the signal), and the total including shutdown.
  FS_CPU=$(echo "scale=2; ($UT+$ST)/$TCK" | bc)
  FS_TOTAL=$(tail -1 "$DATA.times" | awk '{ split($1, u, "m"); split($2, s, "m"); sub("s", "", u[2]); sub("s", "", s[2]); printf "%.2f", u[1]*60 + u[2] + s[1]*60 + s[2] }')
  FS_ROWS=$("$BIN" info --data "$DATA" | awk '/^  rows/ {gsub(",","",$2); print $2}')
  FS_BYTES=$(du -sb "$DATA" | cut -f1)
  echo "flowstore records=$FS_ROWS of $N loss=$((N - FS_ROWS)) cpu_s=$FS_CPU cpu_s_with_shutdown=$FS_TOTAL disk_bytes=$FS_BYTES event_loop_s=$LOOP worker_s=$WORKER"

  # nfcapd, same datagrams, same rate
  NF_LINE=$("$SHARED/bench/peer_nfcapd.sh" "$DG" /tmp/nfc-bench "$PPS")
  echo "$NF_LINE"
  NF_CPU=$(echo "$NF_LINE" | sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p')
  NF_ROWS=$(echo "$NF_LINE" | sed -n 's/.*records=\([0-9]*\).*/\1/p')
  echo "nfcapd loss=$((N - NF_ROWS))"
  RATIO=$(echo "scale=3; $FS_CPU/$NF_CPU" | bc)
  echo "cpu ratio flowstore/nfcapd = $RATIO (target <= 0.5)"
  RATIOS+=("$RATIO")
  echo "cpu ratio including flowstore's drain+seal = $(echo "scale=3; $FS_TOTAL/$NF_CPU" | bc)"
  rm -rf "$DATA" "$DATA.log" "$DATA.times"
}

for _ in $(seq "$ROUNDS"); do run_pair; done
if [ "$ROUNDS" -gt 1 ]; then
  echo "ratios: ${RATIOS[*]}"
  printf "%s\n" "${RATIOS[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; n=0; for (i=1;i<=NR;i++) if (a[i] <= 0.5) n++; printf "median ratio over %d rounds = %.3f (target <= 0.5); %d of %d at or below 0.5\n", NR, m, n, NR}'
fi
