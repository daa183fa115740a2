#!/usr/bin/env bash
# FlowStore's query engine vs DuckDB over exactly the same rows: one core each, alternating runs,
# medians, in one run; answers compared; peak memory of the two-key GROUP BY.
#
# usage: Benchmarks/engine_vs_duckdb.sh [RUNS]          (RUNS: timed rounds per query, default 5)
#
#   FLOWSTORE_BIN=PATH            the flowstore binary to measure (default .build/release/flowstore;
#                                 this script never builds it)
#   FLOWSTORE_ENGINE_BENCH_DIR    cache directory (default /tmp/flowstore-engine-bench)
#   FLOWSTORE_SHARED              the shared kit (default ../shared next to the repository)
#   FLOWSTORE_ARGS="..."          extra options for `flowstore repl` and `flowstore query` (e.g. an
#                                 engine option of a newer binary)
#   ONLY=name,name                run only these queries of the suite
#
# What it does:
#  1. Builds, if missing, two stores under the cache directory:
#       ref-store  3,000,000 IPv4 records of ../shared/bench/gen_ipfix.py (one day, 2026-11-27 UTC),
#                  replayed with udp_replay.py into `flowstore serve` at 40,000 datagrams/s
#       l7-store   3,000,000 records of `flowstore generate --seed 1 --start 2026-11-27T00:00:00Z`
#                  (app names, http_host, one IPv6 flow in eight) into `flowstore serve` at 300,000/s
#     Each must hold exactly 3,000,000 rows, or it is rebuilt at a slower rate (twice at most).
#  2. Exports each store's rows (`flowstore query --format csv`) into a DuckDB file next to them
#     (ref.duckdb, l7.duckdb) with DuckDB's fastest types (see engine_suite.tsv); rebuilt only when
#     the store is newer.
#  3. Runs Benchmarks/engine_suite.tsv through Benchmarks/engine_vs_duckdb.py: FlowStore is
#     `taskset -c 0 flowstore repl` on a pipe (`\timing`, `\format csv`, one statement a line; the
#     time is the REPL's `Time: N ms`: parse, plan, execute, render); DuckDB runs in the same python
#     process, pinned to core 0, `SET threads = 1` (execute + fetchall). For each query: one warm-up
#     of each (its answers are compared), then RUNS rounds of (flowstore, duckdb); medians.
#  4. Peak memory of GROUP BY src_addr, dst_addr over the reference set: /usr/bin/time -v of
#     `taskset -c 0 flowstore query` vs a python process running only that DuckDB query (threads=1),
#     each with a baseline process that runs nothing.
#  Prints a markdown table and writes it to $FLOWSTORE_ENGINE_BENCH_DIR/results.md (raw samples in
#  results.json). Ratio = duckdb_ms / flowstore_ms: above 1 means FlowStore is faster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${FLOWSTORE_SHARED:-$root/../shared}
runs=${1:-5}
bin=${FLOWSTORE_BIN:-$root/.build/release/flowstore}
export FLOWSTORE_BIN=$bin
cache=${FLOWSTORE_ENGINE_BENCH_DIR:-/tmp/flowstore-engine-bench}
n=3000000
ref=/tmp/flowstore-ref-$n.dgrams
driver="$here/engine_vs_duckdb.py"
mkdir -p "$cache"
[ -x "$bin" ] || { echo "no flowstore binary at $bin (set FLOWSTORE_BIN)" >&2; exit 1; }
python3 -c "import duckdb" 2>/dev/null || { echo "python module duckdb missing (pip install duckdb)" >&2; exit 1; }

rows() { "$bin" query --data "$1" --format csv "SELECT count(*) FROM flows" 2>/dev/null | tail -1 | tr -d '\r'; }
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve_pid=
stop_serve() { if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" || true; serve_pid=; fi; }
trap stop_serve EXIT

# build_store NAME KIND RATE...: KIND ref|l7; tries each rate until the store has exactly $n rows.
build_store() {
  local name=$1 kind=$2; shift 2
  local store=$cache/$name-store
  if [ -d "$store" ] && [ -f "$store.ok" ] && [ "$(rows "$store")" = "$n" ]; then return; fi
  if [ "$kind" = ref ] && [ ! -f "$ref" ]; then
    echo "generating $ref" >&2
    python3 "$shared/bench/gen_ipfix.py" "$n" "$ref" >&2
  fi
  local rate got port log=$cache/$name-serve.log
  for rate in "$@"; do
    rm -rf "$store" "$store.tmp" "$store.ok"
    port=$(free_port)
    "$bin" serve --data "$store.tmp" --listen "127.0.0.1:$port" >"$log" 2>&1 &
    serve_pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
    grep -q "listening on" "$log" || { cat "$log" >&2; exit 1; }
    echo "building $name-store: $n records at $rate/s into port $port" >&2
    if [ "$kind" = ref ]; then
      python3 "$shared/bench/udp_replay.py" "$ref" "$port" --pps "$rate" >&2
    else
      "$bin" generate --to "127.0.0.1:$port" --records "$n" --seed 1 --start 2026-11-27T00:00:00Z --rate "$rate" >&2
    fi
    sleep 2
    stop_serve
    tail -1 "$log" >&2
    got=$(rows "$store.tmp")
    if [ "$got" = "$n" ]; then
      mv "$store.tmp" "$store"
      echo "$n" >"$store.ok"
      return
    fi
    echo "$name-store holds $got rows, not $n; retrying slower" >&2
  done
  echo "could not store exactly $n records into $name-store" >&2
  exit 1
}

build_store ref ref 40000 20000 10000   # datagrams/s (30 records each)
build_store l7 l7 300000 150000 75000   # records/s

for ds in ref l7; do
  db=$cache/$ds.duckdb
  if [ ! -f "$db" ] || [ "$cache/$ds-store.ok" -nt "$db" ]; then
    echo "loading $ds-store into $db" >&2
    python3 "$driver" load "$ds" "$cache/$ds-store" "$db" >&2
  fi
done

echo "running $here/engine_suite.tsv, $runs rounds per query (progress on stderr)" >&2
python3 "$driver" run --suite "$here/engine_suite.tsv" --runs "$runs" ${ONLY:+--only "$ONLY"} \
  --store ref="$cache/ref-store" --store l7="$cache/l7-store" \
  --db ref="$cache/ref.duckdb" --db l7="$cache/l7.duckdb" \
  --out "$cache/results.md" --json "$cache/results.json"

# Peak memory: whole-process max RSS, same query, one core.
fq="SELECT src_addr, dst_addr, sum(bytes) AS b FROM flows GROUP BY src_addr, dst_addr ORDER BY b DESC LIMIT 10"
dq="SELECT src_addr, dst_addr, sum(bytes) AS b FROM flows GROUP BY src_addr, dst_addr ORDER BY b DESC LIMIT 10"
nq="SELECT count(*) FROM flows WHERE time < '2000-01-01'"   # prunes every segment: the process baseline
maxrss() { # max RSS in KB of "$@" (stdout discarded)
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
fs_q=$(maxrss taskset -c 0 "$bin" query --data "$cache/ref-store" ${FLOWSTORE_ARGS:-} --format csv "$fq")
fs_0=$(maxrss taskset -c 0 "$bin" query --data "$cache/ref-store" ${FLOWSTORE_ARGS:-} --format csv "$nq")
dk_q=$(maxrss taskset -c 0 python3 "$driver" duckdb-mem "$cache/ref.duckdb" "$dq")
dk_0=$(maxrss taskset -c 0 python3 "$driver" duckdb-mem "$cache/ref.duckdb" --baseline)
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
{
  echo
  echo "Peak memory, GROUP BY src_addr, dst_addr over the reference set (max RSS, /usr/bin/time -v, one core):"
  echo
  echo "| process | max RSS MB | baseline MB (same process, query not run) | difference MB |"
  echo "|---|---:|---:|---:|"
  echo "| \`flowstore query\` (whole process) | $(mb "$fs_q") | $(mb "$fs_0") (a query pruned to nothing) | $(mb $((fs_q - fs_0))) |"
  echo "| python + DuckDB, threads=1 | $(mb "$dk_q") | $(mb "$dk_0") (connected, nothing run) | $(mb $((dk_q - dk_0))) |"
} | tee -a "$cache/results.md"
echo >&2
echo "written: $cache/results.md, $cache/results.json" >&2
