#!/usr/bin/env python3
"""Readers during ingest: four query processes loop while `flowstore serve` ingests the
identifiable stream at the reference rate (40,000 datagrams/s). No query may fail, the row count
each reader sees may only grow, and ingest loses nothing: every record sent is stored once.

usage: readers.py [--seconds S] [--pps N] [--readers K]
"""
import argparse
import os
import shutil
import tempfile
import threading
import time

import campaign as c

QUERIES = [
    "SELECT count(*) FROM flows",
    "SELECT dst_port, count(*) AS n, sum(bytes) FROM flows GROUP BY dst_port ORDER BY n DESC LIMIT 5",
    "SELECT src_addr, sum(bytes) AS b FROM flows WHERE dst_port = 443 GROUP BY src_addr ORDER BY b DESC LIMIT 10",
    "SELECT count(*), max(packets) FROM flows WHERE time >= '2026-11-27T00:00:00Z'",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--pps", type=float, default=40000)
    ap.add_argument("--readers", type=int, default=4)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="flowstore-readers.")
    data = os.path.join(work, "data")
    serve = c.Serve(data, os.path.join(work, "serve.log"))
    serve.start()
    print(f"readers campaign: {a.readers} readers for {a.seconds:.0f} s while serve ingests "
          f"{a.pps:.0f} datagrams/s; binary {c.FS}", flush=True)
    stop = threading.Event()
    problems = []
    ran = [0] * a.readers

    def reader(k):
        seen = 0
        i = k
        while not stop.is_set():
            sql = QUERIES[i % len(QUERIES)]
            i += 1
            p = c.run(["query", "--data", data, "--format", "csv", sql], check=False)
            if p.returncode != 0:
                problems.append(f"reader {k}: {sql}: exit {p.returncode}: {p.stderr.strip()[:300]}")
                continue
            ran[k] += 1
            if sql == QUERIES[0]:
                n = int(p.stdout.splitlines()[1])
                if n < seen:
                    problems.append(f"reader {k}: count went down from {seen} to {n}")
                seen = n

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(a.readers)]
    for t in threads:
        t.start()
    first, last, dgrams = c.Stream(serve.port, 1, pps=a.pps, per=5, seconds=a.seconds).finish(
        signalled=False, timeout=a.seconds + 600)
    stop.set()
    for t in threads:
        t.join()
    time.sleep(1.5)
    counts = serve.stop()
    got = c.ids(data)
    have = set(got)
    sent = last - first + 1
    print(f"{sum(ran)} queries ran ({', '.join(map(str, ran))}), {len(problems)} failed or went "
          f"backwards; sent {sent:,d} records in {dgrams:,d} datagrams, stored {len(got):,d} "
          f"({len(have):,d} distinct); kernel drops {counts['kernel_drops']}, queue drops "
          f"{counts['queue_drops']}", flush=True)
    for p in problems[:10]:
        print("  " + p)
    if problems:
        c.fail(f"{len(problems)} queries failed or saw fewer rows than before")
    if len(got) != len(have) or have != set(range(first, last + 1)):
        c.fail(f"ingest lost {sent - len(have)} and duplicated {len(got) - len(have)} records")
    c.verify(data)
    print(f"readers campaign: {sum(ran)} queries, none failed, counts only grew; {sent:,d} of "
          f"{sent:,d} records stored once", flush=True)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
