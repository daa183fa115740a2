-- flowql
SELECT app, count(*) AS n, count(rev_bytes) AS with_rev, sum(rev_bytes) AS rev, min(rev_bytes) AS lo FROM flows GROUP BY app ORDER BY app
-- duckdb
SELECT app, count(*) AS n, count(rev_bytes) AS with_rev, sum(rev_bytes) AS rev, min(rev_bytes) AS lo FROM flows GROUP BY app ORDER BY app NULLS LAST
