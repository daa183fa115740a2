-- flowql
SELECT dst_addr, dst_port, count(*) AS n, sum(bytes) % 1000 AS r FROM flows WHERE proto = 6 GROUP BY dst_addr, dst_port HAVING count(*) > 30 AND n < 60 ORDER BY n DESC, dst_addr, dst_port
-- duckdb
SELECT dst_addr, dst_port, count(*) AS n, sum(bytes) % 1000 AS r FROM flows WHERE proto = 6 GROUP BY dst_addr, dst_port HAVING count(*) > 30 AND count(*) < 60 ORDER BY n DESC, CAST(split_part(dst_addr, '.', 4) AS INTEGER), dst_port
