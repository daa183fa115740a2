#!/usr/bin/env python3
"""Corruption campaign: flip bytes at random in a segment file, the catalog or the WAL of a copy
of a store whose rows are known (stream.py's serial numbers), then read it, verify it and start
`serve` on it.

A trial passes when
- the query either returns exactly the stored rows, or fails naming the damaged file (and, for a
  segment, the block): never wrong or missing rows;
- `verify` reports a damaged segment (naming file and block) whenever the flipped bytes lie in one;
- `serve` either refuses to start with a message naming the damaged file, or starts, and after it
  stops the store still reads back exactly (a flip SQLite or the WAL never reads is harmless); for
  the WAL, rows of a damaged last entry may be cut off only if serve's log says so.

usage: corruption.py [--trials N] [--seed S]
"""
import argparse
import collections
import os
import random
import shutil
import tempfile
import time

import campaign as c

COLUMNS = "packets, time, end_time, bytes, src_addr, dst_addr, src_port, dst_port, proto"


def rows(data):
    """(ok, rows as a Counter of tuples, stderr). The rows are read twice: all of them, and again
    through a time range that holds them all (so that segment pruning by the catalog's time
    bounds takes part); both must agree."""
    p = c.run(["query", "--data", data, "--format", "csv", f"SELECT {COLUMNS} FROM flows"],
              check=False, timeout=120)
    if p.returncode != 0:
        return False, None, (p.stderr + p.stdout).strip()
    got = collections.Counter(p.stdout.splitlines()[1:])
    q = c.run(["query", "--data", data, "--format", "csv", f"SELECT {COLUMNS} FROM flows WHERE "
               "time >= '2026-11-27T00:00:00Z' AND time < '2026-11-27T01:00:00Z'"], check=False, timeout=120)
    if q.returncode != 0:
        return False, None, (q.stderr + q.stdout).strip()
    ranged = collections.Counter(q.stdout.splitlines()[1:])
    if ranged != got:
        # Report the smaller answer: one of them is wrong, the check below says how.
        return True, ranged, ""
    return True, got, ""


def make_store(work, name, kill):
    """A store of 20,000 identifiable rows: sealed and closed, or (kill) left in the WAL."""
    data = os.path.join(work, name)
    serve = c.Serve(data, os.path.join(work, name + ".log"))
    serve.start()
    s = c.Stream(serve.port, 1, pps=1600, per=5, count=4000)
    s.finish(signalled=False)
    time.sleep(1.0)
    if kill:
        serve.kill()
    else:
        serve.stop()
    return data


def files_of(data, kind):
    if kind == "segment":
        d = os.path.join(data, "segments")
        return [os.path.join(d, f) for f in sorted(os.listdir(d))]
    if kind == "catalog":
        return [os.path.join(data, "catalog.db")]
    d = os.path.join(data, "wal")
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if os.path.getsize(os.path.join(d, f)) > 0]


def flip(path, rng):
    size = os.path.getsize(path)
    n = rng.choice([1, 1, 1, 2, 4, 16])
    offsets = sorted(rng.randrange(size) for _ in range(n))
    with open(path, "r+b") as f:
        for o in offsets:
            f.seek(o)
            b = f.read(1)[0]
            f.seek(o)
            f.write(bytes([b ^ rng.randrange(1, 256)]))
    return offsets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="flowstore-corrupt.")
    print(f"corruption campaign: {a.trials} trials, seed {seed}, binary {c.FS}", flush=True)
    pristine = {"sealed": make_store(work, "sealed", kill=False),
                "wal": make_store(work, "wal", kill=True)}
    truth = {}
    for k, d in pristine.items():
        ok, r, err = rows(d)
        if not ok or not r:
            c.fail(f"pristine store {k} unreadable: {err}")
        truth[k] = r
    print(f"stores: sealed {sum(truth['sealed'].values()):,d} rows in "
          f"{len(files_of(pristine['sealed'], 'segment'))} segment(s); killed "
          f"{sum(truth['wal'].values()):,d} rows, WAL {len(files_of(pristine['wal'], 'wal'))} file(s)",
          flush=True)
    tally = collections.Counter()
    failures = []
    trial_dir = os.path.join(work, "trial")
    for t in range(a.trials):
        kind = rng.choice(["segment", "segment", "catalog", "wal"])
        base = "wal" if kind == "wal" else rng.choice(["sealed", "sealed", "wal"])
        if kind == "segment" and not files_of(pristine[base], "segment"):
            base = "sealed"
        shutil.rmtree(trial_dir, ignore_errors=True)
        shutil.copytree(pristine[base], trial_dir)
        for leftover in ("LOCK", "lock"):
            pass
        target = rng.choice(files_of(trial_dir, kind))
        name = os.path.basename(target)
        offsets = flip(target, rng)
        what = f"trial {t}: {kind} {name} bytes {offsets[:4]}{'...' if len(offsets) > 4 else ''}"
        expected = truth[base]

        def bad(message):
            failures.append(f"{what}: {message}")
            print("BAD " + failures[-1], flush=True)

        # 1. A read.
        ok, got, err = rows(trial_dir)
        if ok:
            if got != expected:
                missing = sum((expected - got).values())
                extra = sum((got - expected).values())
                bad(f"query returned wrong rows without an error ({missing} missing, {extra} wrong)")
            else:
                tally[kind + " read intact"] += 1
        elif name not in err:
            bad(f"query failed without naming {name}: {err[:300]}")
        elif kind == "segment" and not any(w in err for w in ("block", "footer", "trailer")):
            bad(f"query failed without naming the block: {err[:300]}")
        else:
            tally[kind + " read reported"] += 1
        # 2. verify.
        p = c.run(["verify", "--data", trial_dir], check=False)
        out = (p.stdout + p.stderr).strip()
        if kind == "segment":
            if p.returncode == 0:
                bad("verify found nothing in the damaged segment")
            elif name not in out:
                bad(f"verify did not name {name}: {out[:300]}")
            else:
                tally["segment verify reported"] += 1
        elif p.returncode != 0:
            if name in out or kind == "catalog":
                tally[kind + " verify reported"] += 1
            else:
                bad(f"verify failed without naming {name}: {out[:300]}")
        # 3. serve on it.
        serve = c.Serve(trial_dir, os.path.join(work, "trial.log"))
        open(serve.log_path, "w").close()
        if not serve.start():
            log = serve.text()
            serve.log.close()
            if name in log or (kind == "catalog" and "catalog" in log):
                tally[kind + " serve refused"] += 1
            else:
                bad(f"serve exited without naming {name}: {log.strip()[-300:]}")
            continue
        serve.stop()
        log = serve.text()
        ok2, after, err2 = rows(trial_dir)
        if ok2 and after == expected:
            tally[kind + " serve ok"] += 1
        elif ok2 and kind == "wal" and not (after - expected) and name in log:
            tally["wal serve cut a damaged tail (logged)"] += 1
        elif not ok2 and kind != "catalog" and name in err2:
            tally[kind + " serve ok, damage still reported"] += 1
        elif ok2:
            missing = sum((expected - after).values())
            extra = sum((after - expected).values())
            bad(f"after serve ran on it the store reads {missing} rows missing, {extra} wrong; "
                f"serve said: {log.strip()[-300:]}")
        else:
            bad(f"after serve ran on it: {err2[:300]}")
        if (t + 1) % 50 == 0:
            print(f"{t + 1} trials, {len(failures)} bad", flush=True)
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())), flush=True)
    shutil.rmtree(work)
    if failures:
        c.fail(f"{len(failures)} of {a.trials} trials went wrong (seed {seed}); first: {failures[0]}")
    print(f"corruption campaign: {a.trials} trials, none returned wrong rows; every damaged segment "
          f"found by verify; seed {seed}", flush=True)


if __name__ == "__main__":
    main()
