#!/usr/bin/env bash
# The reliability campaign (docs/RELIABILITY.md): crash, overload, full disk, readers during
# ingest, corruption. CI runs it short (`make test`); a developer runs it long for the figures.
# usage: Tests/Campaign/run.sh [short|long] [PART...]
#   parts: crash overload fulldisk readers corruption signals (default: all)
#   FLOWSTORE=path/to/flowstore picks the binary (default: .build/release/flowstore)
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-short}
shift || true
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(crash overload fulldisk readers corruption signals)
# Each part's arguments: short (CI) | long (the figures).
declare -A params=(
  [crash]="--kills 10 --min-run 0.3 --max-run 1.0 | --kills 100"
  [overload]="--seconds 10 | --seconds 60"
  [fulldisk]="--full-seconds 12 | --full-seconds 30"
  [readers]="--seconds 10 | --seconds 60"
  [corruption]="--trials 40 | --trials 1000"
  [signals]="--trials 20 | --trials 200"
)
for part in "${parts[@]}"; do
  both=${params[$part]:?unknown part $part}
  case "$mode" in
    short) args=${both%%|*} ;;
    long) args=${both#*|} ;;
    *) echo "usage: $0 [short|long] [PART...]" >&2; exit 2 ;;
  esac
  echo "== $part ($mode): $part.py $args"
  # shellcheck disable=SC2086
  python3 "./$part.py" $args
done
