#!/usr/bin/env python3
"""Crash campaign: `flowstore serve` receives an identifiable stream (stream.py, 40,000
datagrams/s) and is killed with SIGKILL at a random moment, restarted, over and over.

After every restart:
- `flowstore verify` passes;
- every record a reader saw in the store just before the kill is there, exactly once;
- no record is stored twice, and the store holds exactly the records counted so far;
- the records lost are a suffix of what was sent before the kill (those still queued in the
  socket buffer, the collector's queue or the batch being decoded), never a hole: the script
  reports how many.

usage: crash.py [--kills N] [--pps N] [--per D] [--min-run S] [--max-run S] [--seed S] [--keep DIR]
"""
import argparse
import os
import random
import shutil
import tempfile
import time

import campaign as c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--pps", type=float, default=40000)
    ap.add_argument("--per", type=int, default=1, help="records per datagram")
    ap.add_argument("--min-run", type=float, default=0.5)
    ap.add_argument("--max-run", type=float, default=2.5)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--dir", default=None, help="work directory (kept); default a temporary one")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = a.dir or tempfile.mkdtemp(prefix="flowstore-crash.")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    serve = c.Serve(data, os.path.join(work, "serve.log"))
    print(f"crash campaign: {a.kills} kills, {a.pps:.0f} datagrams/s of {a.per} records, "
          f"runs of {a.min_run}-{a.max_run} s, seed {seed}, binary {c.FS}", flush=True)
    total = 0          # records stored so far (checked)
    next_id = 1
    sent_records = sent_datagrams = 0
    lost_tail = lost_holes = 0
    max_tail = 0
    seen_dups = 0
    prev = None        # (first, last, snapshot ids) of the run killed last
    started = time.time()
    for k in range(a.kills + 1):
        if not serve.start():
            c.fail(f"serve did not start after kill {k}:\n{serve.text()[-3000:]}")
        if prev:
            first, last, snapshot = prev
            c.verify(data)
            got = c.ids(data, first, last)
            have = set(got)
            if len(have) != len(got):
                seen_dups += len(got) - len(have)
                c.fail(f"kill {k}: {len(got) - len(have)} records stored twice")
            missing_seen = snapshot - have
            if missing_seen:
                c.fail(f"kill {k}: {len(missing_seen)} records seen before the kill are gone, "
                       f"e.g. {sorted(missing_seen)[:5]}")
            top = max(have) if have else first - 1
            holes = (top - first + 1) - len(have)
            tail = last - top
            lost_holes += holes
            lost_tail += tail
            max_tail = max(max_tail, tail)
            total += len(have)
            n = c.count(data)
            if n != total:
                c.fail(f"kill {k}: the store holds {n} records, {total} expected (duplicates or losses "
                       "in earlier runs)")
            print(f"kill {k:3d}: run sent {last - first + 1:8,d}, stored {len(have):8,d}, "
                  f"lost in flight {tail:6,d}, holes {holes}, seen before the kill {len(snapshot):8,d}: "
                  f"all present once; verify ok; store {n:,d}", flush=True)
            if holes:
                c.fail(f"kill {k}: {holes} records lost before the last one stored (a hole, not the "
                       "queue's tail)")
        if k == a.kills:
            break
        s = c.Stream(serve.port, next_id, pps=a.pps, per=a.per)
        time.sleep(rng.uniform(a.min_run, a.max_run))
        snapshot = set(c.ids(data, next_id))
        s.pause()
        serve.kill()
        first, last, dgrams = s.finish()
        sent_records += last - first + 1
        sent_datagrams += dgrams
        prev = (first, last, snapshot)
        next_id = last + 1
    counts = serve.stop()
    c.verify(data)
    final = c.query(data, "SELECT count(*), count(DISTINCT packets) FROM flows")[0]
    if int(final[0]) != total or int(final[1]) != total:
        c.fail(f"after the last stop: {final[0]} rows, {final[1]} distinct ids, {total} expected")
    print(f"crash campaign: {a.kills} kills survived in {time.time() - started:.0f} s; "
          f"{sent_records:,d} records sent in {sent_datagrams:,d} datagrams, {total:,d} stored, "
          f"0 duplicated, {lost_tail:,d} lost in flight at the kills (at most {max_tail:,d} at one "
          f"kill, {max_tail // a.per:,d} datagrams), {lost_holes} lost otherwise; verify ok after "
          f"every restart (seed {seed})", flush=True)
    if not a.dir:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
