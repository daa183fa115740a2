-- flowql
SELECT time, src_addr, bytes, rev_bytes, bytes / packets AS size FROM flows WHERE app LIKE 'h%' AND (rev_bytes IS NULL OR rev_bytes > 40000) AND packets BETWEEN 10 AND 150 ORDER BY bytes DESC, time LIMIT 15
-- duckdb
SELECT time, src_addr, bytes, rev_bytes, bytes / packets AS size FROM flows WHERE app LIKE 'h%' AND (rev_bytes IS NULL OR rev_bytes > 40000) AND packets BETWEEN 10 AND 150 ORDER BY bytes DESC, time LIMIT 15
