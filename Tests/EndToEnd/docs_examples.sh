#!/usr/bin/env bash
# End to end, as a user would: `flowstore serve` fills a store from `flowstore generate` over
# real UDP, then every ```sql example of docs/FLOWQL.md runs through `flowstore query` and, all
# together, through `flowstore repl` (input piped), while serve keeps running. Each must succeed.
# usage: Tests/EndToEnd/docs_examples.sh [path/to/flowstore]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fs=${1:-$root/.build/debug/flowstore}
dir=$(mktemp -d /tmp/flowstore-e2e.XXXXXX)
port=$((30000 + RANDOM % 20000))
cleanup() { kill "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; rm -rf "$dir"; }
"$fs" serve --data "$dir/data" --listen 127.0.0.1:$port 2> "$dir/serve.log" &
serve=$!
trap cleanup EXIT
for _ in $(seq 50); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
"$fs" generate --to 127.0.0.1:$port --records 30000 --rate 60000 > /dev/null 2>&1
sleep 1.5
# CSV rows end in \n, so the last line compares as is; with --crlf they end in \r\n.
rows=$("$fs" query --data "$dir/data" --format csv "SELECT count(*) AS n FROM flows" | tail -1)
[ "$rows" = 30000 ] || { echo "FAIL: the store holds $rows rows, the generator sent 30000"; exit 1; }
crlf=$("$fs" query --data "$dir/data" --crlf "SELECT count(*) AS n FROM flows" | od -An -c | tr -s ' ')
[ "$crlf" = " n \r \n 3 0 0 0 0 \r \n" ] || { echo "FAIL: --crlf printed:$crlf"; exit 1; }
python3 - "$root/docs/FLOWQL.md" "$dir/examples" <<'PY'
import re, sys, os
text = open(sys.argv[1]).read()
os.makedirs(sys.argv[2])
for i, block in enumerate(re.findall(r"```sql\n(.*?)```", text, re.S)):
    open(os.path.join(sys.argv[2], f"{i:03d}.sql"), "w").write(block.strip())
PY
pass=0 fail=0
for f in "$dir"/examples/*.sql; do
  if out=$("$fs" query --data "$dir/data" --format csv "$(cat "$f")" 2>&1); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL (query): $(tr '\n' ' ' < "$f")"; echo "$out" | head -5
  fi
done
# The REPL: every example, each ended by ';', in one session.
for f in "$dir"/examples/*.sql; do sed -e 's/;[[:space:]]*$//' "$f"; echo ";"; done > "$dir/all.sql"
echo '\q' >> "$dir/all.sql"
if repl=$("$fs" repl --data "$dir/data" < "$dir/all.sql" 2>&1) && ! grep -qiE "^(flowstore: )?error" <<< "$repl"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL (repl):"; grep -iE -m5 -A3 "error" <<< "$repl" || echo "$repl" | tail -5
fi
echo "docs examples end to end: $pass passed, $fail failed"
[ "$fail" = 0 ]
