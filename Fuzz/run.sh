#!/usr/bin/env bash
# Fuzzes the flow decoder with libFuzzer + AddressSanitizer, optimized (-O: bounds checks kept).
# usage: Fuzz/run.sh [SECONDS]   (default 60; CI passes a short budget)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET="${1:-60}"
BUILD=.build/fuzz
# Optimized (-O, bounds checks kept) with the sanitizers: a debug build ran about 1,000 inputs/s.
swift build --target Ingest --build-path "$BUILD" -Xswiftc -sanitize=fuzzer,address -Xswiftc -O -Xswiftc -g
OBJS=$(ls "$BUILD"/debug/Ingest.build/*.o "$BUILD"/debug/Storage.build/*.o)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g Fuzz/DecoderFuzz.swift \
  -I "$BUILD"/debug/Modules -I Sources/CPcap -I Sources/CLZ4 -I Sources/CSQLite $OBJS -lpcap -llz4 -lsqlite3 -o "$BUILD"/decoder-fuzz
# Seed corpus: the shared raw payloads (first byte = exporter selector).
CORPUS=Fuzz/corpus
mkdir -p "$CORPUS"
SHARED="${FLOWSTORE_SHARED:-$(pwd)/../shared}"
if [ -d "$SHARED/data" ] && [ -z "$(ls -A "$CORPUS")" ]; then
  i=0
  find "$SHARED/data" \( -name '*.dat' -o -name '*.bin' \) | sort | while read -r f; do
    { printf '\x01'; cat "$f"; } > "$CORPUS/seed-$i"; i=$((i+1))
  done
fi
mkdir -p "$BUILD/artifacts"
# Leak detection is off: the decoder keeps templates across inputs by design, and LeakSanitizer's
# scan after every input that allocates took four fifths of the time. AddressSanitizer stays on.
"$BUILD"/decoder-fuzz -max_total_time="$SECONDS_BUDGET" -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 \
  -artifact_prefix="$BUILD/artifacts/" "$CORPUS"
