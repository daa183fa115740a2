-- flowql
SELECT time_bucket(1h, time) AS hour, count(*) AS n, avg(bytes) AS avg_bytes, max(packets) AS maxp FROM flows WHERE time >= '2026-11-27T06:00:00Z' AND time < '2026-11-27T18:00' GROUP BY hour ORDER BY hour
-- duckdb
SELECT time_bucket(INTERVAL 1 HOUR, time) AS hour, count(*) AS n, avg(bytes) AS avg_bytes, max(packets) AS maxp FROM flows WHERE time >= TIMESTAMP '2026-11-27 06:00:00' AND time < TIMESTAMP '2026-11-27 18:00:00' GROUP BY hour ORDER BY hour
