#!/usr/bin/env python3
"""Writes flows.csv: 3000 deterministic flow rows for the golden tests (independent of the
Swift test data generator). Columns: time (ISO 8601 ms UTC), src_addr, dst_addr, src_port,
dst_port, proto, bytes, packets, rev_bytes (empty = NULL), app (empty = NULL)."""
import random
import datetime

random.seed(11)
base = datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc)
rows = []
t = 0
for i in range(3000):
    t += random.randint(0, 115_000)
    ts = base + datetime.timedelta(milliseconds=t)
    src = random.choice(["10.0.0.", "10.1.2.", "192.168.1.", "8.8.8.", "198.51.100."]) + str(random.randint(1, 20))
    dst = "10.0.0." + str(random.randint(1, 30))
    sport = random.randint(1024, 65535)
    dport = random.choice([443, 443, 443, 80, 80, 53, 22, 8080, 123, 3389])
    proto = 17 if dport in (53, 123) else 6
    packets = random.randint(1, 200)
    byts = packets * random.randint(40, 1500)
    rev = "" if random.random() < 0.3 else str(random.randint(0, 50000))
    app = "" if random.random() < 0.2 else random.choice(["http", "tls", "dns", "ssh", "HTTP"])
    rows.append(f"{ts.strftime('%Y-%m-%dT%H:%M:%S.')}{ts.microsecond // 1000:03d}Z,{src},{dst},{sport},{dport},{proto},{byts},{packets},{rev},{app}")
with open("flows.csv", "w") as f:
    f.write("time,src_addr,dst_addr,src_port,dst_port,proto,bytes,packets,rev_bytes,app\n")
    f.write("\n".join(rows) + "\n")
