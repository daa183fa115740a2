#!/usr/bin/env python3
"""Driver of Benchmarks/engine_vs_duckdb.sh: FlowStore's query engine (through `flowstore repl`)
and DuckDB (in-process, one thread) over the same rows, one core, alternating runs.

usage:
  engine_vs_duckdb.py load DATASET STORE DB        export STORE's rows as CSV, load them into DB
  engine_vs_duckdb.py run --suite TSV --store ref=DIR --store l7=DIR --db ref=FILE --db l7=FILE
                          [--runs N] [--only NAME,...] [--out results.md] [--json results.json]
  engine_vs_duckdb.py duckdb-mem DB (SQL | --baseline)  one DuckDB query, threads=1, for /usr/bin/time

FLOWSTORE_BIN chooses the flowstore binary (default: ../.build/release/flowstore from here);
FLOWSTORE_ARGS (split on spaces) is appended to `flowstore repl --data STORE`.
"""
import argparse
import datetime as dt
import decimal
import ipaddress
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.join(HERE, "..", ".build", "release", "flowstore")
EPOCH = dt.datetime(1970, 1, 1)

# Columns exported from FlowStore and their DuckDB types; the address type depends on the dataset.
COLUMNS = [("time", "TIMESTAMP"), ("end_time", "TIMESTAMP"), ("src_addr", "ADDR"), ("dst_addr", "ADDR"),
           ("src_port", "USMALLINT"), ("dst_port", "USMALLINT"), ("proto", "UTINYINT"),
           ("tcp_flags", "UTINYINT"), ("tos", "UTINYINT"), ("bytes", "UBIGINT"), ("packets", "UBIGINT"),
           ("in_if", "UINTEGER"), ("out_if", "UINTEGER")]
L7_COLUMNS = [("app", "VARCHAR"), ("http_host", "VARCHAR")]
ADDR_TYPE = {"ref": "UINTEGER", "l7": "UHUGEINT"}
V4_MAPPED = 0xFFFF << 32


def flowstore_bin():
    return os.environ.get("FLOWSTORE_BIN", DEFAULT_BIN)


def pin_to_core0():
    try:
        os.sched_setaffinity(0, {0})
    except (AttributeError, OSError) as e:
        print(f"warning: could not pin to core 0: {e}", file=sys.stderr)


def addr_to_int(text, dataset):
    """An address as DuckDB stores it: ref IPv4 as u32; l7 IPv6 as u128, IPv4 as ::ffff:a.b.c.d."""
    a = ipaddress.ip_address(text)
    if dataset == "ref":
        if a.version != 4:
            raise ValueError(f"IPv6 address {text} in the IPv4-only reference set")
        return int(a)
    return int(a) | V4_MAPPED if a.version == 4 else int(a)


# ---------------------------------------------------------------------------------------------
# load: FlowStore rows -> CSV -> DuckDB file


def cmd_load(a):
    import duckdb

    ds = a.dataset
    cols = COLUMNS + (L7_COLUMNS if ds == "l7" else [])
    names = [c for c, _ in cols]
    tmpdir = os.path.dirname(os.path.abspath(a.db))
    csv_path = os.path.join(tmpdir, f"{ds}-export.csv")
    map_path = os.path.join(tmpdir, f"{ds}-addrmap.csv")
    t0 = time.time()
    sql = f"SELECT {', '.join(names)} FROM flows"
    with open(csv_path, "wb") as f:
        subprocess.run([flowstore_bin(), "query", "--data", a.store, "--format", "csv", sql], stdout=f, check=True)
    with open(csv_path, "rb") as f:
        head = f.readline()
    newline = "\\r\\n" if head.endswith(b"\r\n") else "\\n"
    header = head.decode().rstrip("\r\n").split(",")
    if header != names:
        sys.exit(f"unexpected CSV header {header}")
    print(f"  exported {os.path.getsize(csv_path) / 1e6:.0f} MB of CSV in {time.time() - t0:.1f} s "
          f"(row terminator {newline})", flush=True)

    tmp_db = a.db + ".tmp"
    for p in (tmp_db, tmp_db + ".wal"):
        if os.path.exists(p):
            os.remove(p)
    con = duckdb.connect(tmp_db)
    # Read everything as text first (empty field = NULL), then convert: addresses through a
    # mapping table computed in Python (there are only tens of thousands of distinct ones).
    types = {c: ("VARCHAR" if t in ("TIMESTAMP", "ADDR") else t) for c, t in cols}
    con.execute(f"CREATE TEMP TABLE stage AS SELECT * FROM read_csv('{csv_path}', header=true, "
                f"delim=',', quote='\"', new_line='{newline}', nullstr='', columns={types!r}, auto_detect=false)")
    addrs = [r[0] for r in con.execute(
        "SELECT DISTINCT a FROM (SELECT src_addr AS a FROM stage UNION ALL SELECT dst_addr FROM stage) "
        "WHERE a IS NOT NULL").fetchall()]
    with open(map_path, "w") as f:
        f.write("a,v\n")
        for x in addrs:
            f.write(f"{x},{addr_to_int(x, ds)}\n")
    at = ADDR_TYPE[ds]
    con.execute(f"CREATE TEMP TABLE addrmap AS SELECT a, CAST(v AS {at}) AS v FROM read_csv('{map_path}', "
                f"header=true, columns={{'a': 'VARCHAR', 'v': 'VARCHAR'}}, auto_detect=false)")
    exprs = []
    for c, t in cols:
        if t == "TIMESTAMP":
            exprs.append(f"CAST(rtrim(s.{c}, 'Z') AS TIMESTAMP) AS {c}")
        elif t == "ADDR":
            alias = "ms" if c == "src_addr" else "md"
            exprs.append(f"{alias}.v AS {c}")
        else:
            exprs.append(f"s.{c} AS {c}")
    # Sorted by time like FlowStore's segments (both generators emit flows in time order).
    con.execute(f"CREATE TABLE flows AS SELECT {', '.join(exprs)} FROM stage s "
                f"LEFT JOIN addrmap ms ON s.src_addr = ms.a LEFT JOIN addrmap md ON s.dst_addr = md.a "
                f"ORDER BY s.time")
    n_stage = con.execute("SELECT count(*) FROM stage").fetchone()[0]
    n = con.execute("SELECT count(*) FROM flows").fetchone()[0]
    bad = con.execute("SELECT count(*) FROM flows WHERE src_addr IS NULL OR dst_addr IS NULL OR time IS NULL").fetchone()[0]
    con.execute("DROP TABLE stage")
    con.execute("DROP TABLE addrmap")
    con.execute("CHECKPOINT")
    con.close()
    if n != n_stage or bad:
        sys.exit(f"load failed: {n_stage} CSV rows, {n} loaded, {bad} with NULL time/address")
    os.replace(tmp_db, a.db)
    os.remove(csv_path)
    os.remove(map_path)
    print(f"  loaded {n:,} rows into {a.db} ({os.path.getsize(a.db) / 1e6:.0f} MB) in {time.time() - t0:.1f} s",
          flush=True)


# ---------------------------------------------------------------------------------------------
# the suite


def read_suite(path):
    suite = []
    with open(path) as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 5:
                sys.exit(f"{path}:{ln}: expected 5 TAB-separated columns, got {len(parts)}")
            name, ds, check, fq, dq = (p.strip() for p in parts)
            order, approx = [], {}
            for item in check.split(";"):
                item = item.strip()
                if item in ("", "-"):
                    continue
                k, _, v = item.partition("=")
                if k == "order":
                    order = [int(x) for x in v.split(",")]
                elif k == "approx":
                    i, _, tol = v.partition(":")
                    approx[int(i)] = float(tol)
                else:
                    sys.exit(f"{path}:{ln}: unknown check {item!r}")
            suite.append(dict(name=name, dataset=ds, order=order, approx=approx, flowql=fq, duckdb=dq))
    return suite


# ---------------------------------------------------------------------------------------------
# FlowStore through the REPL


class Repl:
    """`taskset -c 0 flowstore repl --data STORE`, fed on a pipe. With stdin not a terminal the
    REPL prints no prompt; every statement (one line, ending in ';') is answered by its result (or
    an error on stderr, which is merged into the same pipe so it comes before the timing line) and
    `Time: N ms`."""

    TIME = re.compile(rb"^Time: ([0-9.]+) ms$")

    def __init__(self, store):
        # HOME: the REPL appends every statement to ~/.flowstore_history; keep that out of the user's.
        home = os.path.join(os.path.dirname(os.path.abspath(store)), "repl-home")
        os.makedirs(home, exist_ok=True)
        extra = os.environ.get("FLOWSTORE_ARGS", "").split()
        self.p = subprocess.Popen(["taskset", "-c", "0", flowstore_bin(), "repl", "--data", store] + extra,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  bufsize=0, env=dict(os.environ, HOME=home))
        self._expect(b"FlowStore REPL")
        self.send_meta("\\timing", b"Timing is on.")
        self.send_meta("\\format csv", b"Output format is csv.")

    def _line(self):
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"flowstore repl exited (status {self.p.poll()})")
        return line

    def _expect(self, prefix):
        line = self._line()
        if not line.startswith(prefix):
            raise RuntimeError(f"flowstore repl: expected {prefix!r}, got {line!r}")

    def send_meta(self, cmd, reply):
        self.p.stdin.write(cmd.encode() + b"\n")
        self._expect(reply)

    def query(self, sql):
        """Returns (ms as the REPL reports it, wall ms of the round trip, output text, error or None)."""
        one_line = " ".join(sql.split())
        t0 = time.perf_counter()
        self.p.stdin.write(one_line.encode() + b";\n")
        out = []
        while True:
            line = self._line()
            m = self.TIME.match(line.rstrip(b"\r\n"))
            if m:
                break
            out.append(line)
        wall = (time.perf_counter() - t0) * 1000
        text = b"".join(out).decode()
        err = text.strip() if text.startswith(("error", "flowstore:")) else None
        return float(m.group(1)), wall, text, err

    def close(self):
        try:
            self.p.stdin.write(b"\\q\n")
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


# ---------------------------------------------------------------------------------------------
# answers: normalisation and comparison

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def norm_fs_field(s, dataset):
    if s == "":
        return None
    if TS.match(s):
        t = dt.datetime.strptime(s.rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f" if "." in s else "%Y-%m-%dT%H:%M:%S")
        return round((t - EPOCH).total_seconds() * 1000)
    if s in ("true", "false"):
        return s
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return float(s)
    except ValueError:
        pass
    if "." in s or ":" in s:
        try:
            return addr_to_int(s, dataset)
        except ValueError:
            pass
    return s


def norm_duck_value(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return round((v.replace(tzinfo=None) - EPOCH).total_seconds() * 1000)
    if isinstance(v, dt.timedelta):
        return round(v.total_seconds() * 1000)
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def parse_fs_csv(text, dataset):
    import csv
    import io
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    return rows[0], [tuple(norm_fs_field(x, dataset) for x in r) for r in rows[1:]]


def values_equal(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if isinstance(a, int) and isinstance(b, int) and tol <= 1e-9:
            return a == b
        return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol if tol > 1e-9 else 0)
    return a == b


def rows_equal(r1, r2, approx):
    return len(r1) == len(r2) and all(values_equal(x, y, approx.get(i, 1e-9)) for i, (x, y) in enumerate(zip(r1, r2)))


def multiset_equal(a, b, approx):
    if len(a) != len(b):
        return False
    if not approx and not any(isinstance(v, float) for r in a + b for v in r):
        return Counter(a) == Counter(b)
    rest = list(b)
    for r in a:
        for j, s in enumerate(rest):
            if rows_equal(r, s, approx):
                del rest[j]
                break
        else:
            return False
    return True


def compare(fs_header, fs_rows, duck_names, duck_rows, q):
    """Returns ('yes' | 'yes (ties)' | 'NO', detail)."""
    if len(fs_header) != len(duck_names):
        # SELECT *: compare on the columns both have, by name, in DuckDB's order.
        idx = [fs_header.index(n) for n in duck_names if n in fs_header]
        if len(idx) != len(duck_names):
            return "NO", f"columns differ: flowstore {fs_header}, duckdb {duck_names}"
        fs_rows = [tuple(r[i] for i in idx) for r in fs_rows]
    approx = q["approx"]
    if multiset_equal(fs_rows, duck_rows, approx):
        return "yes", ""
    detail = f"flowstore {len(fs_rows)} rows, duckdb {len(duck_rows)} rows"
    order = q["order"]
    if order and len(fs_rows) == len(duck_rows):
        key = lambda r: tuple(r[i] for i in order)
        if all(rows_equal(key(r), key(s), {}) for r, s in zip(fs_rows, duck_rows)):
            last = key(duck_rows[-1])
            a = [r for r in fs_rows if key(r) != last]
            b = [r for r in duck_rows if key(r) != last]
            if multiset_equal(a, b, approx):
                return "yes (ties)", "rows differ only in ties of the sort key at the LIMIT"
    only_fs = [r for r in fs_rows if not any(rows_equal(r, s, approx) for s in duck_rows)]
    only_dk = [r for r in duck_rows if not any(rows_equal(s, r, approx) for s in fs_rows)]
    detail += f"; only in flowstore: {only_fs[:5]}; only in duckdb: {only_dk[:5]}"
    return "NO", detail


# ---------------------------------------------------------------------------------------------
# run


def cmd_run(a):
    import duckdb

    pin_to_core0()
    stores = dict(s.split("=", 1) for s in a.store)
    dbs = dict(s.split("=", 1) for s in a.db)
    suite = read_suite(a.suite)
    if a.only:
        keep = set(a.only.split(","))
        suite = [q for q in suite if q["name"] in keep]
    cons, repls = {}, {}
    for ds in sorted({q["dataset"] for q in suite}):
        c = duckdb.connect(dbs[ds], read_only=True)
        c.execute("SET threads = 1")
        cons[ds] = c
        repls[ds] = Repl(stores[ds])

    def run_duck(ds, sql):
        t0 = time.perf_counter()
        cur = cons[ds].execute(sql)
        rows = cur.fetchall()
        ms = (time.perf_counter() - t0) * 1000
        return ms, [d[0] for d in cur.description], rows

    results = []
    for q in suite:
        ds = q["dataset"]
        r = dict(name=q["name"], dataset=ds, flowql=q["flowql"], duckdb=q["duckdb"], fs_ms=[], fs_wall_ms=[],
                 duck_ms=[], error=None)
        try:
            # warm-up, one of each; its answers are the ones compared
            _, _, text, err = repls[ds].query(q["flowql"])
            if err:
                raise RuntimeError(f"flowstore: {err}")
            _, names, drows = run_duck(ds, q["duckdb"])
            fs_header, fs_rows = parse_fs_csv(text, ds)
            duck_rows = [tuple(norm_duck_value(v) for v in row) for row in drows]
            r["match"], r["detail"] = compare(fs_header, fs_rows, names, duck_rows, q)
            r["rows"] = (len(fs_rows), len(duck_rows))
            for _ in range(a.runs):
                ms, wall, _, err = repls[ds].query(q["flowql"])
                if err:
                    raise RuntimeError(f"flowstore: {err}")
                r["fs_ms"].append(ms)
                r["fs_wall_ms"].append(wall)
                r["duck_ms"].append(run_duck(ds, q["duckdb"])[0])
        except Exception as e:  # report, keep going
            r["error"] = str(e).splitlines()[0] if str(e) else repr(e)
            r.setdefault("match", "error")
            r.setdefault("detail", r["error"])
            if repls[ds].p.poll() is not None:
                repls[ds] = Repl(stores[ds])
        r["fs_median"] = statistics.median(r["fs_ms"]) if r["fs_ms"] else None
        r["fs_wall_median"] = statistics.median(r["fs_wall_ms"]) if r["fs_wall_ms"] else None
        r["duck_median"] = statistics.median(r["duck_ms"]) if r["duck_ms"] else None
        r["ratio"] = (r["duck_median"] / r["fs_median"]) if r["fs_median"] and r["duck_median"] else None
        results.append(r)
        fmt = lambda v: "-" if v is None else f"{v:.2f}"
        print(f"  {q['name']:<16} flowstore {fmt(r['fs_median']):>9} ms  duckdb {fmt(r['duck_median']):>9} ms  "
              f"ratio {fmt(r['ratio']):>6}  match {r['match']}" + (f"  ({r['detail']})" if r["match"] not in ("yes",) else ""),
              file=sys.stderr, flush=True)
    for p in repls.values():
        p.close()

    md = render(results, a)
    print(md)
    if a.out:
        with open(a.out, "w") as f:
            f.write(md)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1, default=str)


def render(results, a):
    def cell(s):
        return s.replace("|", "\\|")

    def ms(v):
        return "-" if v is None else (f"{v:.1f}" if v >= 10 else f"{v:.2f}")

    lines = [f"FlowStore `{flowstore_bin()}` (REPL, `taskset -c 0`) vs DuckDB {__import__('duckdb').__version__} "
             f"(in-process, `threads=1`, same core); median of {a.runs} alternating runs after one warm-up each; "
             f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}.", "",
             "| query | data | FlowQL | FlowStore ms | DuckDB ms | ratio (duckdb/flowstore) | answers match |",
             "|---|---|---|---:|---:|---:|---|"]
    for r in results:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        match = r["match"] if not r["error"] else f"error: {r['error']}"
        lines.append(f"| {r['name']} | {r['dataset']} | `{cell(r['flowql'])}` | {ms(r['fs_median'])} | "
                     f"{ms(r['duck_median'])} | {ratio} | {cell(match)} |")
    ratios = [r["ratio"] for r in results if r["ratio"]]
    if ratios:
        g = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        lines += ["", f"Geometric mean of the ratios over {len(ratios)} queries: **{g:.2f}** "
                      f"(>1: FlowStore faster; {sum(1 for x in ratios if x > 1)} of {len(ratios)} faster than DuckDB)."]
    bad = [r for r in results if r["match"] not in ("yes", "yes (ties)")]
    if bad:
        lines += ["", "Mismatches and errors:", ""]
        lines += [f"- {r['name']}: {r['detail']}" for r in bad]
    ties = [r["name"] for r in results if r["match"] == "yes (ties)"]
    if ties:
        lines += ["", f"Matched up to ties of the ORDER BY key at the LIMIT: {', '.join(ties)}."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# duckdb-mem: one process, one query, for /usr/bin/time -v


def cmd_duckdb_mem(a):
    import duckdb
    pin_to_core0()
    con = duckdb.connect(a.db, read_only=True)
    con.execute("SET threads = 1")
    if a.baseline or not a.sql:
        con.execute("SELECT 1").fetchall()
        print("baseline: connected, nothing run")
    else:
        rows = con.execute(a.sql).fetchall()
        print(f"{len(rows)} rows")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("load")
    p.add_argument("dataset", choices=["ref", "l7"])
    p.add_argument("store")
    p.add_argument("db")
    p = sub.add_parser("run")
    p.add_argument("--suite", required=True)
    p.add_argument("--store", action="append", default=[])
    p.add_argument("--db", action="append", default=[])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only")
    p.add_argument("--out")
    p.add_argument("--json")
    p = sub.add_parser("duckdb-mem")
    p.add_argument("db")
    p.add_argument("sql", nargs="?")
    p.add_argument("--baseline", action="store_true", help="connect only, run nothing")
    a = ap.parse_args()
    {"load": cmd_load, "run": cmd_run, "duckdb-mem": cmd_duckdb_mem}[a.cmd](a)


if __name__ == "__main__":
    main()
