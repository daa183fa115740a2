#!/usr/bin/env python3
"""Overload campaign: `flowstore generate --rate 0` (sendmmsg, unpaced) floods `flowstore serve`
for a while, 3,000,000 records a call, 30 to a datagram. The collector must stay up, its resident memory must stay under --rss-mb, and the
records stored plus the drops it counts (datagrams dropped by the kernel's full receive buffer
and by its own full queue, records lost to store errors) must equal the records sent.

usage: overload.py [--seconds S] [--per D] [--rss-mb M]
"""
import argparse
import os
import re
import shutil
import tempfile
import threading
import time

import campaign as c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--per", type=int, default=30, help="records per datagram (the reference's 30)")
    ap.add_argument("--rss-mb", type=int, default=1536, help="the documented bound (docs/RELIABILITY.md)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="flowstore-overload.")
    data = os.path.join(work, "data")
    serve = c.Serve(data, os.path.join(work, "serve.log"))
    serve.start()
    print(f"overload campaign: unpaced for {a.seconds:.0f} s, {a.per} records a datagram; "
          f"binary {c.FS}", flush=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], serve.rss_kib())
            time.sleep(0.2)

    t = threading.Thread(target=sample)
    t.start()
    start = time.time()
    sent = dgrams = 0
    seed = 1
    while time.time() - start < a.seconds:
        p = c.run(["generate", "--to", f"127.0.0.1:{serve.port}", "--records", "3000000",
                   "--rate", "0", "--per-datagram", str(a.per), "--seed", str(seed)])
        m = re.search(r"sent (\d+) records in (\d+) datagrams", p.stderr)
        if not m:
            c.fail("generate printed no summary: " + p.stderr)
        sent += int(m.group(1))
        dgrams += int(m.group(2))
        seed += 1
    elapsed = time.time() - start
    alive = serve.alive()
    time.sleep(2)
    counts = serve.stop() if alive else None
    done.set()
    t.join()
    if not alive:
        c.fail("serve died under the flood:\n" + serve.text()[-2000:])
    stored = c.count(data)
    dropped_dgrams = counts["kernel_drops"] + counts["queue_drops"]
    drops = dropped_dgrams * a.per + counts["store_lost"]
    rss_mb = peak[0] / 1024
    print(f"sent {sent:,d} records in {dgrams:,d} datagrams in {elapsed:.1f} s "
          f"({dgrams / elapsed:,.0f} datagrams/s); serve received {counts['received']:,d}, stored "
          f"{stored:,d} records, dropped {counts['kernel_drops']:,d} datagrams in the kernel and "
          f"{counts['queue_drops']:,d} in its queue, {counts['store_lost']:,d} records to store "
          f"errors; peak RSS {rss_mb:,.0f} MB", flush=True)
    if stored != counts["stored"]:
        c.fail(f"store holds {stored} rows, serve said {counts['stored']}")
    if stored + drops != sent:
        c.fail(f"stored {stored:,d} + counted drops {drops:,d} = {stored + drops:,d}, sent {sent:,d}")
    if rss_mb > a.rss_mb:
        c.fail(f"peak RSS {rss_mb:.0f} MB over the bound of {a.rss_mb} MB")
    c.verify(data)
    print(f"overload campaign: stored + counted drops = sent ({sent:,d}); peak RSS {rss_mb:,.0f} MB "
          f"(bound {a.rss_mb} MB); serve stayed up", flush=True)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
