#!/usr/bin/env python3
"""Full-disk campaign: `flowstore serve` stores an identifiable stream on a small tmpfs; a ballast
file then fills the file system while the stream goes on, and is deleted a while later.

Checks: the collector stays up; the failure is logged once and then at intervals (not per
datagram or batch); every record stored before the disk filled is still there; ingest resumes
by itself once space is freed (records sent after that are stored); and stored records plus
counted drops (lost to store errors, kernel and queue drops) equal the records sent. Needs root
(mount -t tmpfs).

usage: fulldisk.py [--full-seconds S] [--pps N] [--size-mb M]
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

import campaign as c


def fill(path):
    """Writes zeros to `path` until the file system is full; returns the bytes written."""
    n = 0
    block = b"\0" * (1 << 16)
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                n += f.write(block)
            except OSError:
                break
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full-seconds", type=float, default=25)
    ap.add_argument("--pps", type=float, default=4000)
    ap.add_argument("--size-mb", type=int, default=48)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="flowstore-fulldisk.")
    mnt = os.path.join(work, "mnt")
    os.makedirs(mnt)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={a.size_mb}m", "tmpfs", mnt], check=True)
    try:
        run(a, work, mnt)
    finally:
        subprocess.run(["umount", mnt])
        subprocess.run(["rm", "-rf", work])


def run(a, work, mnt):
    data = os.path.join(mnt, "data")
    serve = c.Serve(data, os.path.join(work, "serve.log"))
    serve.start()
    per = 5
    print(f"full-disk campaign: tmpfs of {a.size_mb} MiB, {a.pps:.0f} datagrams/s of {per} records, "
          f"disk full for {a.full_seconds:.0f} s; binary {c.FS}", flush=True)
    # 1. Room to spare: 20,000 records, all stored.
    first, last, _ = c.Stream(serve.port, 1, pps=a.pps, per=per, count=4000).finish(signalled=False)
    time.sleep(1.5)
    before = c.ids(data)
    if sorted(before) != list(range(first, last + 1)):
        c.fail(f"before the disk filled: {len(before)} of {last} records stored")
    # 2. The disk fills while the stream goes on.
    s = c.Stream(serve.port, last + 1, pps=a.pps, per=per)
    time.sleep(1)
    ballast = os.path.join(mnt, "ballast")
    filled = fill(ballast)
    t_full = time.time()
    time.sleep(a.full_seconds)
    if not serve.alive():
        c.fail("serve died while the disk was full:\n" + serve.text()[-2000:])
    os.unlink(ballast)
    t_free = time.time()
    time.sleep(6)
    first2, last2, dgrams = s.finish()
    time.sleep(1.5)
    counts = serve.stop()
    log = serve.text()
    sent = last2
    stored = c.count(data)
    # Lines about the failure: the collector's (store appends ...) and the store's own (seal,
    # sync, catalog saves), at most one a kind per 10 s.
    failing = [l for l in log.splitlines() if "store appends" in l]
    store_lines = [l for l in log.splitlines() if "flowstore serve: store:" in l]
    saves = [l for l in log.splitlines() if "saving collector state" in l]
    seconds = t_free - t_full + 6
    print(f"ballast {filled / 1e6:.1f} MB; {len(failing)} lines about store appends, "
          f"{len(store_lines)} from the store's background work, {len(saves)} about state saves "
          f"in {seconds:.0f} s", flush=True)
    for l in failing:
        print("  " + l, flush=True)
    if not any("store appends failing" in l for l in failing):
        c.fail("the failing appends were never reported")
    bound = 2 + seconds / 10
    if len(failing) > bound + 1 or len(store_lines) > 3 * bound or len(saves) > bound + 1:
        c.fail(f"too many lines while the disk was full: {len(failing)} + {len(store_lines)} + "
               f"{len(saves)}:\n" + "\n".join(log.splitlines()[-40:]))
    if not any("working again" in l for l in failing):
        c.fail("ingest did not resume after the ballast was deleted:\n" + "\n".join(log.splitlines()[-20:]))
    after = c.ids(data)
    have = set(after)
    if len(have) != len(after):
        c.fail(f"{len(after) - len(have)} records stored twice")
    gone = [i for i in range(first, last + 1) if i not in have]
    if gone:
        c.fail(f"{len(gone)} records stored before the disk filled are gone")
    resumed = [i for i in have if i > last2 - int(a.pps * per * 3)]
    if not resumed:
        c.fail("nothing sent after the space was freed was stored")
    drops = counts["store_lost"] + per * (counts["kernel_drops"] + counts["queue_drops"])
    if counts["stored"] + (last - first + 1) != stored and counts["stored"] != stored:
        pass
    # serve's counts are of this run; the store holds this run's records only.
    if stored != counts["stored"]:
        c.fail(f"the store holds {stored} records, serve reported {counts['stored']} stored")
    if stored + drops != sent:
        c.fail(f"stored {stored} + counted drops {drops} = {stored + drops}, sent {sent}")
    v = c.verify(data)
    print(f"full-disk campaign: {sent:,d} records sent, {stored:,d} stored, {counts['store_lost']:,d} "
          f"dropped and counted while the disk was full, {counts['kernel_drops']} + "
          f"{counts['queue_drops']} datagrams dropped by the kernel and the queue; all "
          f"{last:,d} stored before stayed; ingest resumed by itself; {v}", flush=True)


if __name__ == "__main__":
    main()
