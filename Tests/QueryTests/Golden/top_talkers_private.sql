-- flowql
SELECT src_addr, sum(bytes) AS b, count(DISTINCT dst_addr) AS peers FROM flows WHERE src_addr IN ('10.0.0.0/8', '192.168.0.0/16') AND dst_port != 53 GROUP BY src_addr ORDER BY b DESC, src_addr LIMIT 10
-- duckdb
SELECT src_addr, sum(bytes) AS b, count(DISTINCT dst_addr) AS peers FROM flows WHERE (src_addr LIKE '10.%' OR src_addr LIKE '192.168.%') AND dst_port != 53 GROUP BY src_addr ORDER BY b DESC, src_addr LIMIT 10
