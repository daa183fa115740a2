-- flowql
SELECT dst_port, sum(bytes) AS b, count(*) AS n FROM flows GROUP BY dst_port ORDER BY b DESC LIMIT 5
-- duckdb
SELECT dst_port, sum(bytes) AS b, count(*) AS n FROM flows GROUP BY dst_port ORDER BY b DESC LIMIT 5
