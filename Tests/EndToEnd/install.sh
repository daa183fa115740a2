#!/usr/bin/env bash
# `make install` as docs/OPERATIONS.md describes it, into temporary folders: with DESTDIR
# (staged /usr/local) and with PREFIX alone. The installed binary runs, the unit's ExecStart
# names it, and `systemd-analyze verify` accepts the unit (where systemd-analyze exists).
# usage: Tests/EndToEnd/install.sh [path/to/flowstore]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/.build/debug/flowstore}
tmp=$(mktemp -d /tmp/flowstore-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

make -s -C "$root" install BIN="$bin" DESTDIR="$tmp/stage" > /dev/null
[ -x "$tmp/stage/usr/local/bin/flowstore" ] || fail "DESTDIR: no $tmp/stage/usr/local/bin/flowstore"
unit=$tmp/stage/usr/local/lib/systemd/system/flowstore.service
grep -q '^ExecStart=/usr/local/bin/flowstore serve' "$unit" || fail "DESTDIR: ExecStart in $unit"
[ -f "$tmp/stage/usr/local/lib/sysusers.d/flowstore.conf" ] || fail "DESTDIR: no sysusers file"

make -s -C "$root" install BIN="$bin" PREFIX="$tmp/opt" > /dev/null
"$tmp/opt/bin/flowstore" --help | grep -q "backup" || fail "the installed binary does not run"
unit=$tmp/opt/lib/systemd/system/flowstore.service
grep -q "^ExecStart=$tmp/opt/bin/flowstore serve" "$unit" || fail "PREFIX: ExecStart in $unit"
[ "$(stat -c %a "$tmp/opt/bin/flowstore")" = 755 ] || fail "binary mode"
[ "$(stat -c %a "$unit")" = 644 ] || fail "unit mode"
for key in User=flowstore StateDirectory=flowstore Restart=on-failure NoNewPrivileges=yes \
  ProtectSystem=strict "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_ADMIN"; do
  grep -qx "$key" "$unit" || fail "the unit lacks $key"
done
if command -v systemd-analyze > /dev/null; then
  # Everything it finds is printed; the unit passes only when it prints nothing.
  out=$(systemd-analyze verify "$unit" 2>&1 || true)
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
  verified="systemd-analyze verify passed"
else
  verified="systemd-analyze not installed, unit not verified"
fi
echo "make install end to end: DESTDIR and PREFIX installs pass; $verified"
