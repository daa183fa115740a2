-- flowql
SELECT proto, quantile(bytes, 0.5) AS p50, quantile(bytes, 0.9) AS p90, quantile(packets, 0.99) AS p99, min(time) AS first, max(time) AS last FROM flows GROUP BY proto ORDER BY proto
-- duckdb
SELECT proto, quantile_disc(bytes, 0.5) AS p50, quantile_disc(bytes, 0.9) AS p90, quantile_disc(packets, 0.99) AS p99, min(time) AS first, max(time) AS last FROM flows GROUP BY proto ORDER BY proto
