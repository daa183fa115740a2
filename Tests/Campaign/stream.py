#!/usr/bin/env python3
"""Identifiable IPFIX stream for the reliability campaign.

Sends IPv4 IPFIX records (the reference dataset's template, gen_ipfix.py) whose `packets` field is
a serial number: record k carries packets = k, and starts at BASE + k ms. So every stored row names
the record it came from, and a query counts losses and duplicates exactly.

usage: stream.py PORT --first K [--pps N] [--per D] [--seconds S] [--count N] [--host H]
  --pps 0 sends unpaced. Runs until --seconds or --count is reached, or until SIGTERM/SIGINT.
  Prints `ready` once SIGTERM is handled; on exit one line: `sent FIRST LAST DATAGRAMS` (ids FIRST..LAST inclusive were sent;
  LAST = FIRST - 1 when nothing was). A send refused (nobody listening) is retried, so every id
  up to LAST left this process.
"""
import argparse
import signal
import socket
import struct
import sys
import time

import numpy as np

FIELDS = [(8, 4), (12, 4), (152, 8), (153, 8), (1, 8), (2, 8), (7, 2), (11, 2), (4, 1), (6, 1), (5, 1), (10, 4), (14, 4)]
TID = 256
BASE_MS = 1_795_737_600_000  # 2026-11-27T00:00:00Z
DT = np.dtype([("s", ">u4"), ("d", ">u4"), ("st", ">u8"), ("en", ">u8"), ("o", ">u8"), ("p", ">u8"),
               ("sp", ">u2"), ("dp", ">u2"), ("pr", "u1"), ("fl", "u1"), ("tos", "u1"), ("i", ">u4"), ("e", ">u4")])
stop = False


def on_signal(*_):
    global stop
    stop = True


def template_set():
    body = struct.pack(">HH", TID, len(FIELDS)) + b"".join(struct.pack(">HH", i, l) for i, l in FIELDS)
    return struct.pack(">HH", 2, 4 + len(body)) + body


def datagrams(first, count, per):
    """`count` datagrams of `per` records, ids first..first+count*per-1; each starts with the template."""
    ids = np.arange(first, first + count * per, dtype=np.uint64)
    r = np.zeros(len(ids), dtype=DT)
    r["s"] = 0x0A000000 + (ids % 5000).astype(np.uint32)
    r["d"] = 0xC6336400 + (ids % 250).astype(np.uint32)
    r["st"] = BASE_MS + ids
    r["en"] = BASE_MS + ids + 1000
    r["p"] = ids
    r["o"] = ids * 64
    r["sp"] = 1024 + (ids % 60000).astype(np.uint16)
    r["dp"] = 443
    r["pr"] = 6
    raw = r.tobytes()
    size = DT.itemsize * per
    tmpl = template_set()
    out = []
    for k in range(count):
        sets = tmpl + struct.pack(">HH", TID, 4 + size) + raw[k * size:(k + 1) * size]
        seq = (first + k * per) & 0xFFFFFFFF
        out.append(struct.pack(">HHIII", 10, 16 + len(sets), BASE_MS // 1000, seq, 1) + sets)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--pps", type=float, default=40000)
    ap.add_argument("--per", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=0)
    ap.add_argument("--count", type=int, default=0, help="datagrams to send (0: no limit)")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    print("ready", flush=True)  # signals are handled from here on
    chunk = 2000
    next_id = a.first
    sent = 0
    t0 = time.perf_counter()
    while not stop:
        if a.seconds and time.perf_counter() - t0 >= a.seconds:
            break
        n = chunk if not a.count else min(chunk, a.count - sent)
        if n <= 0:
            break
        batch = datagrams(next_id, n, a.per)
        for k, d in enumerate(batch):
            if stop:
                break
            if a.pps > 0 and k % 40 == 0:
                due = t0 + sent / a.pps
                now = time.perf_counter()
                if due > now:
                    time.sleep(due - now)
            ok = False
            while not ok:
                try:
                    s.sendto(d, (a.host, a.port))
                    ok = True
                except OSError:  # refused, ENOBUFS, EAGAIN: retry unless stopping
                    if stop:
                        break
                    time.sleep(0.0002)
            if not ok:
                break
            sent += 1
            next_id += a.per
        if a.seconds and time.perf_counter() - t0 >= a.seconds:
            break
    print(f"sent {a.first} {next_id - 1} {sent}", flush=True)


if __name__ == "__main__":
    main()
