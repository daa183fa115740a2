import Storage
import TestSupport
import Testing

@testable import Query

/// Random queries over random data: the vectorized engine (several batch sizes and degrees of
/// parallelism) must agree with the row-at-a-time reference evaluator.
@Suite struct ReferenceTests {
  static let rows = 6000
  static let batch = TestData.flows(rows, seed: 7)
  static let now = TestData.day + 86_400_000

  static let keys = [
    "dst_port", "proto", "src_addr", "app", "time_bucket(1h, time)", "http_status",
    "network(src_addr, 24)", "lower(app)", "dst_port, proto", "is_private(src_addr)",
    // Composite and typed keys (packed into words, strings through interned ids, addresses
    // widening from IPv4 to IPv6, NULL flags appearing mid-scan).
    "src_addr, dst_addr", "src_addr, dst_addr, dst_port", "time_bucket(5m, time), dst_port",
    "proto, app", "app, dst_port", "http_status, app", "rev_bytes", "dst_addr, lower(app)",
    "bytes > 20000, proto", "time", "is_private(src_addr), app, proto, http_status",
    "network(src_addr, 24), dst_port",
  ]
  static let aggregates = [
    "count(*)", "sum(bytes)", "min(src_port)", "max(time)", "avg(packets)", "count(rev_bytes)",
    "count(DISTINCT dst_addr)", "quantile(bytes, 0.9)", "sum(bytes * 2 + packets)", "min(app)",
    "max(src_addr)", "sum(rev_bytes)", "sum(bytes / packets)", "max(end_time - time)",
    "avg(rev_bytes)", "quantile(time, 0.5)", "min(time)", "max(app)", "count(DISTINCT app)",
    "count(DISTINCT src_addr)", "quantile(bytes * 1.5, 0.99)", "avg(bytes * 0.25)",
    "sum(packets * 0.5)", "min(rev_bytes)", "max(dst_addr)", "count(DISTINCT rev_bytes)",
  ]
  static let predicates = [
    "dst_port = 443", "proto IN (6, 17)", "src_addr = '10.0.0.0/8'", "bytes > 20000",
    "app LIKE 'h%'", "rev_bytes IS NULL", "time >= '2026-11-28T05:00:00Z'",
    "time BETWEEN '2026-11-27T12:00:00Z' AND '2026-11-28T12:00:00Z'", "http_status != 200",
    "NOT (dst_port = 53)", "is_private(src_addr)", "lower(app) = 'http'",
    "bytes / packets > 500", "src_port % 7 = 3", "dst_addr IN ('10.0.0.1', '10.0.0.2', '10.0.0.3')",
    "src_addr != '192.168.1.5'", "rev_bytes > 5000 OR http_status = 404", "app IN ('dns', 'tls')",
    "hour(time) < 6", "src_addr IN ('2001:db8::/32', '8.8.8.0/24')", "packets BETWEEN 10 AND 20",
    "time < now() - 12h", "app NOT LIKE '%s'", "rev_bytes IS NOT NULL AND rev_bytes < 100",
    // Typed filter paths: IPv4-only columns, CIDR and NOT, coded strings, IN tables.
    "dst_addr = '10.0.0.0/28'", "NOT dst_addr = '10.0.0.0/29'", "dst_addr > '10.0.0.5'",
    "NOT src_addr = '2001:db8::/32'", "app = 'dns'", "app != 'http'", "lower(app) LIKE 'h%'",
    "NOT dst_port = 443", "dst_port NOT IN (22, 443)", "NOT (bytes > 5000)", "app IS NULL",
    "length(app) = 4", "upper(app) IN ('DNS', 'TLS')",
  ]

  /// The number of comma-separated expressions at the top level of `keys`.
  static func keyCount(_ keys: String) -> Int {
    var depth = 0
    var n = 1
    for c in keys {
      if c == "(" { depth += 1 }
      if c == ")" { depth -= 1 }
      if c == "," && depth == 0 { n += 1 }
    }
    return n
  }

  static func randomQuery(_ rng: inout SplitMix) -> String {
    func pick(_ a: [String]) -> String { a[Int.random(in: 0..<a.count, using: &rng)] }
    var whereClause = ""
    let nPred = Int.random(in: 0...3, using: &rng)
    if nPred > 0 {
      var parts: [String] = []
      for _ in 0..<nPred { parts.append(pick(predicates)) }
      let joiner = Int.random(in: 0..<4, using: &rng) == 0 ? " OR " : " AND "
      whereClause = " WHERE " + parts.map { "(\($0))" }.joined(separator: joiner)
    }
    if Int.random(in: 0..<4, using: &rng) == 0 {
      let cols = ["time", "src_addr", "dst_port", "bytes", "app", "rev_bytes", "bytes * 8 AS bits"]
      let sel = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pick(cols) }
      var q = "SELECT \(sel.joined(separator: ", ")) FROM flows\(whereClause)"
      if Int.random(in: 0..<2, using: &rng) == 0 {
        q +=
          " ORDER BY \(pick(["bytes DESC", "time", "src_addr DESC, time", "rev_bytes", "app, bytes"]))"
      }
      if Int.random(in: 0..<3, using: &rng) != 0 {
        q += " LIMIT \(Int.random(in: 0...40, using: &rng))"
      }
      return q
    }
    let key = Int.random(in: 0..<5, using: &rng) == 0 ? nil : pick(keys)
    let aggs = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pick(aggregates) }
    var q =
      "SELECT \(key.map { $0 + ", " } ?? "")\(aggs.joined(separator: ", ")) FROM flows\(whereClause)"
    if let key { q += " GROUP BY \(key)" }
    if Int.random(in: 0..<3, using: &rng) == 0 {
      q += " HAVING count(*) > \(Int.random(in: 0...50, using: &rng))"
    }
    if key != nil, Int.random(in: 0..<2, using: &rng) == 0 {
      q += " ORDER BY \(Self.keyCount(key!) + 1) DESC, 1"
      if Int.random(in: 0..<2, using: &rng) == 0 {
        q += " LIMIT \(Int.random(in: 1...10, using: &rng))"
      }
    }
    return q
  }

  @Test func randomQueriesMatchReference() throws {
    var rng = SplitMix(seed: 2026)
    let units = [97, 1000, 6000]
    for k in 0..<400 {
      let sql = Self.randomQuery(&rng)
      let expected = try ReferenceEvaluator.run(sql, batch: Self.batch, now: Self.now)
      let unitRows = units[k % units.count]
      let provider = MemoryTableProvider(batch: Self.batch, unitRows: unitRows)
      let options = ExecutionOptions(
        batchSize: [2048, 100, 7][k % 3], parallelism: 1 + k % 2, morselRows: [500, 100_000][k % 2])
      let got = try QueryEngine(provider: provider, options: options).execute(sql, now: Self.now)
      #expect(
        ReferenceEvaluator.same(got, expected),
        "\(sql)\nengine: \(got.rows.prefix(5))\nreference: \(expected.rows.prefix(5))")
    }
  }

  @Test func resultsDoNotDependOnBatchSizeOrParallelism() throws {
    let queries = [
      "SELECT dst_port, sum(bytes) AS b, avg(bytes * 1.5), count(*) FROM flows GROUP BY dst_port ORDER BY b DESC",
      "SELECT src_addr, sum(bytes / packets), approx_count_distinct(dst_addr), quantile(bytes, 0.5) FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
      "SELECT time, src_addr, bytes FROM flows WHERE bytes > 1000 ORDER BY bytes DESC LIMIT 50",
      "SELECT time, bytes FROM flows WHERE dst_port = 53 LIMIT 100",
      "SELECT app, count(*), sum(rev_bytes) FROM flows GROUP BY app",
      "SELECT app, dst_port, count(DISTINCT src_addr), quantile(bytes, 0.9), min(time), max(app) FROM flows GROUP BY 1, 2",
    ]
    let provider = MemoryTableProvider(batch: Self.batch, unitRows: 333)
    for sql in queries {
      var first: QueryResult?
      for (bs, par, morsel) in [
        (2048, 1, 131_072), (1, 2, 1), (64, 2, 700), (8192, 2, 5000), (100, 1, 1),
      ] {
        let r = try QueryEngine(
          provider: provider,
          options: ExecutionOptions(batchSize: bs, parallelism: par, morselRows: morsel)
        ).execute(sql, now: Self.now)
        if let first {
          // Exactly equal, floats included: partial sums merge in a fixed order.
          #expect(r.rows == first.rows, "\(sql) differs at batch \(bs), parallelism \(par)")
        } else {
          first = r
          #expect(!r.rows.isEmpty)
        }
      }
    }
  }

  /// Sums of inexact floats depend on the order of additions: they are added in morsel order,
  /// so for a given morsel size they do not depend on the batch size or the number of workers.
  @Test func inexactFloatSumsDoNotDependOnBatchSizeOrParallelism() throws {
    let queries = [
      "SELECT src_addr, dst_addr, sum(bytes * 1.1), avg(packets * 0.3) FROM flows GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 30",
      "SELECT sum(bytes * 0.7), avg(bytes * 1.3), count(DISTINCT dst_addr) FROM flows",
    ]
    let provider = MemoryTableProvider(batch: Self.batch, unitRows: 333)
    for sql in queries {
      var first: QueryResult?
      for (bs, par) in [(2048, 1), (1, 2), (64, 2), (8192, 2), (100, 1)] {
        let r = try QueryEngine(
          provider: provider,
          options: ExecutionOptions(batchSize: bs, parallelism: par, morselRows: 700)
        ).execute(sql, now: Self.now)
        if let first {
          #expect(r.rows == first.rows, "\(sql) differs at batch \(bs), parallelism \(par)")
        } else {
          first = r
        }
      }
    }
  }

  @Test func approximateCountDistinctIsWithinItsErrorBound() throws {
    var rows: [UInt64] = []
    var rng = SplitMix(seed: 9)
    for _ in 0..<200_000 { rows.append(UInt64.random(in: 0..<50_000, using: &rng)) }
    let exact = Set(rows).count
    let batch = try ColumnBatch(
      schema: FlowSchema.flows, rowCount: rows.count,
      columns: ["bytes": ColumnVector(.uint64(rows))])
    let r = try QueryEngine(provider: MemoryTableProvider(batch: batch)).execute(
      "SELECT approx_count_distinct(bytes), count(DISTINCT bytes) FROM flows")
    let approx = Double(r.rows[0][0].intValue!)
    #expect(r.rows[0][1] == .int(Int64(exact)))
    // 3 standard errors of 1.6 %.
    #expect(abs(approx - Double(exact)) / Double(exact) < 0.05, "approx \(approx) exact \(exact)")
  }
}

/// `--memory-limit`: a query whose groups outgrow the limit stops with an error naming it, and
/// the same query under a larger limit answers.
@Suite struct MemoryLimitTests {
  @Test func groupTableOverTheLimitStopsTheQuery() throws {
    let provider = MemoryTableProvider(batch: ReferenceTests.batch, unitRows: 1000)
    let sql = "SELECT src_addr, dst_addr, src_port, count(*) FROM flows GROUP BY 1, 2, 3"
    var small = ExecutionOptions(parallelism: 1)
    small.memoryLimit = 64 << 10
    #expect(throws: QueryError.self) {
      try QueryEngine(provider: provider, options: small).execute(sql, now: ReferenceTests.now)
    }
    do {
      _ = try QueryEngine(provider: provider, options: small).execute(sql, now: ReferenceTests.now)
    } catch {
      #expect(error.message.contains("the memory limit of 64 KiB"), "\(error.message)")
      guard case .memoryLimit(let limit, let groups) = error else {
        Issue.record("expected a memory-limit error, got \(error)")
        return
      }
      #expect(limit == 64 << 10)
      #expect(groups > 0)
    }
    var large = ExecutionOptions(parallelism: 1)
    large.memoryLimit = 64 << 20
    let r = try QueryEngine(provider: provider, options: large).execute(
      sql, now: ReferenceTests.now)
    let expected = try ReferenceEvaluator.run(
      sql, batch: ReferenceTests.batch, now: ReferenceTests.now)
    #expect(ReferenceEvaluator.same(r, expected))
  }
}

/// Keys that outgrow their first packed layout mid-scan: more strings than a 16-bit id holds,
/// with NULLs, next to an address column that turns IPv6 halfway.
@Suite struct WideningKeyTests {
  @Test func manyStringsAndLateIPv6MatchReference() throws {
    let n = 90_000
    var apps: [String] = []
    var valid = Bitmap(count: n, value: true)
    var src: [IPAddress] = []
    var bytes: [UInt64] = []
    for i in 0..<n {
      // 70,000 distinct strings: more than a 16-bit id holds.
      apps.append("app-\(i % 70_000)")
      if i % 97 == 0 { valid[i] = false }
      src.append(
        i < n / 2
          ? IPAddress(v4: 0x0A00_0000 | UInt32(i % 3))
          : IPAddress(high: 0x2001_0db8_0000_0000, low: UInt64(i % 3)))
      bytes.append(UInt64(i % 1000))
    }
    let batch = try ColumnBatch(
      schema: FlowSchema.flows, rowCount: n,
      columns: [
        "app": ColumnVector(.string(apps), validity: valid), "src_addr": ColumnVector(.ip(src)),
        "bytes": ColumnVector(.uint64(bytes)),
      ])
    #expect(Set(apps).count > 1 << 16)
    let provider = MemoryTableProvider(batch: batch, unitRows: 20_000)
    for sql in [
      "SELECT app, count(*), sum(bytes) FROM flows GROUP BY app",
      "SELECT app, src_addr, count(*) FROM flows GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 50",
      "SELECT count(DISTINCT app), approx_count_distinct(src_addr) FROM flows",
    ] {
      let expected = try ReferenceEvaluator.run(sql, batch: batch, now: 0)
      for par in [1, 2] {
        let got = try QueryEngine(
          provider: provider, options: ExecutionOptions(parallelism: par, morselRows: 30_000)
        ).execute(sql, now: 0)
        #expect(ReferenceEvaluator.same(got, expected), "\(sql) at parallelism \(par)")
      }
    }
  }
}
