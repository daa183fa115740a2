#!/usr/bin/env bash
# Decoder-alone throughput (release build, one core) on the reference stream.
# usage: Bench/run.sh [RECORDS]   (default 3000000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-3000000}"
SHARED="${FLOWSTORE_SHARED:-$(pwd)/../shared}"
[ -f /tmp/ref.dgrams ] || python3 "$SHARED/bench/gen_ipfix.py" "$N" /tmp/ref.dgrams
swift build -c release --target Ingest
OBJS=$(ls .build/release/Ingest.build/*.o .build/release/Storage.build/*.o)
swiftc -O -parse-as-library Bench/DecoderBench.swift -I .build/release/Modules \
  -I Sources/CPcap -I Sources/CLZ4 -I Sources/CSQLite $OBJS -lpcap -llz4 -lsqlite3 \
  -o .build/decoder-bench
taskset -c 0 .build/decoder-bench /tmp/ref.dgrams 3
