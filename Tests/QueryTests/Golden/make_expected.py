#!/usr/bin/env python3
"""For every NAME.sql (a '-- flowql' query and an equivalent '-- duckdb' query), runs the
DuckDB query over flows.csv and writes NAME.expected.csv (header row, NULL as empty field,
timestamps ISO 8601 ms UTC). Expected results thus come from DuckDB, not from FlowStore."""
import csv
import glob
import duckdb

con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("""CREATE TABLE flows AS SELECT
    strptime(time, '%Y-%m-%dT%H:%M:%S.%gZ')::TIMESTAMP AS time, src_addr, dst_addr,
    src_port::INTEGER AS src_port, dst_port::INTEGER AS dst_port, proto::INTEGER AS proto,
    bytes::BIGINT AS bytes, packets::BIGINT AS packets, rev_bytes::BIGINT AS rev_bytes, app
    FROM read_csv('flows.csv', header = true, all_varchar = true)""")
for path in sorted(glob.glob("*.sql")):
    text = open(path).read()
    duck = text.split("-- duckdb", 1)[1]
    cur = con.execute(duck)
    names = [d[0] for d in cur.description]
    out = path[:-4] + ".expected.csv"
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(names)
        for row in cur.fetchall():
            cells = []
            for v in row:
                if v is None:
                    cells.append("")
                elif hasattr(v, "strftime"):
                    cells.append(v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z")
                elif isinstance(v, bool):
                    cells.append("true" if v else "false")
                else:
                    cells.append(str(v))
            w.writerow(cells)
    print(out)
