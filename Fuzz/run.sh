#!/usr/bin/env bash
# Fuzzes FlowStore with libFuzzer + AddressSanitizer, optimized (-O: bounds and overflow checks
# kept). Targets:
#   decoder  the flow decoder (Fuzz/DecoderFuzz.swift): NetFlow v5/v9 and IPFIX datagrams
#   flowql   the FlowQL lexer, parser, binder and engine (Fuzz/FlowQLFuzz.swift): random text and
#            statements derived from grammar/flowql.ebnf (Fuzz/StatementGrammar.swift)
# usage: Fuzz/run.sh [SECONDS] [TARGET...]   (default 60 s each, both targets)
#        FUZZ_RUNS=N Fuzz/run.sh 0 TARGET     runs N inputs instead of a time budget
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET="${1:-60}"
shift || true
TARGETS=("${@:-decoder}")
[ $# -gt 0 ] || TARGETS=(decoder flowql)
BUILD=.build/fuzz
PLAIN=.build/fuzz-plain
OPT=(-Xswiftc -O -Xswiftc -g -Xswiftc -sanitize=address)
# The modules under test get edge coverage (inline 8-bit counters, the PC table libFuzzer needs).
# Comparison tracing (trace-cmp) is left out: its callback on every comparison of the decoder's
# loops cost a third of the time, and the seeds and dictionaries give the magic values it finds.
COV=(-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table)
swift build --target Ingest --build-path "$BUILD" "${OPT[@]}" "${COV[@]}"
swift build --target Query --build-path "$BUILD" "${OPT[@]}" "${COV[@]}"
# Storage (column vectors, batches, checksums) is not what is fuzzed: built without coverage, so
# libFuzzer does not spend its bookkeeping on it. AddressSanitizer still checks it.
swift build --target Storage --build-path "$PLAIN" "${OPT[@]}"
STORAGE=$(ls "$PLAIN"/debug/Storage.build/*.o)
INC=(-I "$BUILD"/debug/Modules -I Sources/CPcap -I Sources/CLZ4 -I Sources/CSQLite -I Sources/CFlowSys/include
  -Xcc -fmodule-map-file="$BUILD"/debug/CFlowSys.build/module.modulemap)
LIBS=(-lpcap -llz4 -lsqlite3)
link() { # name, harness sources, module objects
  local name=$1 sources=$2 objects=$3
  # shellcheck disable=SC2086
  swiftc -sanitize=fuzzer,address -sanitize-coverage=edge,inline-8bit-counters,pc-table \
    -parse-as-library -O -g $sources "${INC[@]}" $objects $STORAGE "${LIBS[@]}" \
    -o "$BUILD/$name-fuzz"
}
mkdir -p "$BUILD/artifacts"
SHARED="${FLOWSTORE_SHARED:-$(pwd)/../shared}"
RUNS=()
[ -n "${FUZZ_RUNS:-}" ] && RUNS=(-runs="$FUZZ_RUNS")
for target in "${TARGETS[@]}"; do
  case "$target" in
    decoder)
      link decoder Fuzz/DecoderFuzz.swift "$(ls "$BUILD"/debug/Ingest.build/*.o "$BUILD"/debug/CFlowSys.build/*.o 2>/dev/null)"
      # Seed corpus: the shared raw payloads (first byte = exporter selector).
      CORPUS=Fuzz/corpus
      mkdir -p "$CORPUS"
      if [ -d "$SHARED/data" ] && [ -z "$(ls -A "$CORPUS")" ]; then
        i=0
        find "$SHARED/data" \( -name '*.dat' -o -name '*.bin' \) | sort | while read -r f; do
          { printf '\x01'; cat "$f"; } > "$CORPUS/seed-$i"; i=$((i+1))
        done
      fi
      DICT=Fuzz/decoder.dict
      ;;
    flowql)
      link flowql "Fuzz/FlowQLFuzz.swift Fuzz/StatementGrammar.swift" "$(ls "$BUILD"/debug/Query.build/*.o "$BUILD"/debug/CFlowSys.build/*.o 2>/dev/null)"
      # Seed corpus: every example of docs/FLOWQL.md as text (first byte 0: text mode).
      CORPUS=Fuzz/corpus-flowql
      mkdir -p "$CORPUS"
      if [ -z "$(ls -A "$CORPUS")" ]; then
        python3 - docs/FLOWQL.md "$CORPUS" <<'PY'
import re, sys, os
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"```sql\n(.*?)```", text, re.S)):
    open(os.path.join(sys.argv[2], f"doc-{i:03d}"), "wb").write(b"\x00" + block.strip().encode())
for i in range(64):
    open(os.path.join(sys.argv[2], f"grammar-{i:03d}"), "wb").write(bytes([1]) + os.urandom(48))
PY
      fi
      DICT=Fuzz/flowql.dict
      ;;
    *) echo "unknown fuzz target '$target' (decoder, flowql)" >&2; exit 2 ;;
  esac
  # Leak detection is off: the decoder keeps templates across inputs by design, and
  # LeakSanitizer's scan after every input that allocates took four fifths of the time (at exit
  # it reported the harnesses' global tables). AddressSanitizer stays on.
  # -use_counters=0: an edge is a feature, not each of its hit-count buckets; libFuzzer's
  # feature bookkeeping (CollectFeatures, AddRareFeature) was a quarter of the time.
  echo "fuzzing $target for ${SECONDS_BUDGET}s${FUZZ_RUNS:+ or $FUZZ_RUNS inputs}"
  ASAN_OPTIONS=detect_leaks=0 "$BUILD/$target-fuzz" -max_total_time="$SECONDS_BUDGET" "${RUNS[@]}" -timeout=5 \
    -rss_limit_mb=2048 -detect_leaks=0 -use_counters=0 -dict="$DICT" -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$target-" "$CORPUS"
done
