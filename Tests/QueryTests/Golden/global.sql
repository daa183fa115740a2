-- flowql
SELECT count(*) AS n, sum(bytes) AS b, avg(packets * 2 + 1) AS a, min(src_port) AS lo, max(bytes) AS hi, count(app) AS apps FROM flows WHERE NOT (dst_port IN (80, 443)) AND hour(time) >= 12
-- duckdb
SELECT count(*) AS n, sum(bytes) AS b, avg(packets * 2 + 1) AS a, min(src_port) AS lo, max(bytes) AS hi, count(app) AS apps FROM flows WHERE NOT (dst_port IN (80, 443)) AND hour(time) >= 12
