import Storage
import Testing

@testable import Query

@Suite struct CompareTests {
  static let hour: Int64 = 3_600_000
  static let t0 = TestData.day + 10 * hour  // 2026-11-28T10:00Z

  /// Rows (time, dst_port, bytes) built so the answer is known by construction.
  static func provider() throws -> MemoryTableProvider {
    let rows: [(Int64, UInt16, UInt64)] = [
      // current window [10:00, 11:00) on 11-28
      (t0 + 1000, 443, 100), (t0 + 2000, 443, 100), (t0 + 3000, 443, 100),
      (t0 + 4000, 22, 7),
      (t0 + 5000, 53, 10),
      // baseline window one day earlier
      (t0 - 86_400_000 + 10, 443, 50),
      (t0 - 86_400_000 + 20, 53, 30), (t0 - 86_400_000 + 30, 53, 30),
      (t0 - 86_400_000 + 40, 8080, 99),  // only in the baseline: not listed
      // outside both windows
      (t0 + 2 * hour, 22, 1000), (t0 - 86_400_000 - hour, 22, 1000),
    ]
    let batch = try ColumnBatch(
      schema: FlowSchema.flows, rowCount: rows.count,
      columns: [
        "time": ColumnVector(.timestamp(rows.map(\.0))),
        "dst_port": ColumnVector(.uint16(rows.map(\.1))),
        "bytes": ColumnVector(.uint64(rows.map(\.2))),
      ])
    return MemoryTableProvider(batch: batch, unitRows: 3)
  }

  @Test func baselineChangeAndIsNew() throws {
    let engine = QueryEngine(provider: try Self.provider())
    let r = try engine.execute(
      """
      SELECT dst_port, sum(bytes) AS b, count(*) AS n FROM flows
      WHERE time >= '2026-11-28T10:00:00Z' AND time < '2026-11-28T11:00:00Z'
      GROUP BY dst_port COMPARE WITH 1d AGO ORDER BY dst_port
      """)
    #expect(
      r.columns.map(\.name) == [
        "dst_port", "b", "n", "b_baseline", "b_change", "n_baseline", "n_change", "is_new",
      ])
    #expect(
      r.rows == [
        [.int(22), .int(7), .int(1), .null, .null, .null, .null, .bool(true)],
        [.int(53), .int(10), .int(1), .int(60), .int(-50), .int(2), .int(-1), .bool(false)],
        [.int(443), .int(300), .int(3), .int(50), .int(250), .int(1), .int(2), .bool(false)],
      ])
    let fresh = try engine.execute(
      """
      SELECT dst_port FROM flows WHERE time BETWEEN '2026-11-28T10:00:00Z' AND '2026-11-28T10:59:59Z'
      GROUP BY dst_port COMPARE WITH 1d AGO HAVING is_new
      """)
    #expect(fresh.rows == [[.int(22), .bool(true)]])
  }

  @Test func lowerBoundOnlyEndsAtNow() throws {
    let engine = QueryEngine(provider: try Self.provider())
    // now = 10:30, so the window is [10:00, 10:30] (the row at 12:00 is excluded) and the
    // baseline [10:00, 10:30] a day earlier: 50 + 30 + 30 + 99.
    let r = try engine.execute(
      "SELECT sum(bytes) AS b FROM flows WHERE time >= now() - 30m COMPARE WITH 1d AGO",
      now: Self.t0 + Self.hour / 2)
    #expect(r.rows == [[.int(317), .int(209), .int(108), .bool(false)]])
  }

  @Test func unboundedIsAnError() {
    let engine = QueryEngine(provider: MemoryTableProvider.emptyFlows)
    #expect(throws: QueryError.self) {
      try engine.execute("SELECT count(*) FROM flows WHERE time < now() COMPARE WITH 1d AGO")
    }
  }

  @Test func explainShowsBothScans() throws {
    let engine = QueryEngine(provider: try Self.provider())
    let r = try engine.execute(
      "EXPLAIN SELECT dst_port, sum(bytes) FROM flows WHERE time >= '2026-11-28T10:00:00Z' AND time < '2026-11-28T11:00:00Z' GROUP BY 1 COMPARE WITH 1d AGO"
    )
    let text = r.rows.map { $0[0].description }.joined(separator: "\n")
    #expect(text.contains("Compare: with 1d ago"))
    #expect(text.contains("baseline segments: 3 kept, 1 pruned by time range"))
    #expect(text.contains("Aggregate (direct array, 16-bit key)"))
  }

  @Test func randomCompareQueriesMatchReference() throws {
    let batch = TestData.flows(4000, seed: 3)
    let engine = QueryEngine(
      provider: MemoryTableProvider(batch: batch, unitRows: 250),
      options: ExecutionOptions(batchSize: 100, parallelism: 2, morselRows: 600))
    let windows = [
      "time >= '2026-11-28T03:00:00Z' AND time < '2026-11-28T09:00:00Z'",
      "time BETWEEN '2026-11-28T00:00:00Z' AND '2026-11-28T23:00:00Z' AND dst_port != 53",
      "time > now() - 6h",
    ]
    let shapes = [
      "SELECT dst_port, sum(bytes) AS b FROM flows WHERE %W GROUP BY dst_port COMPARE WITH %D AGO ORDER BY b_change DESC, 1",
      "SELECT src_addr, count(*) AS n, max(time) FROM flows WHERE %W GROUP BY src_addr COMPARE WITH %D AGO HAVING is_new OR n_change > 2",
      "SELECT time_bucket(1h, time) AS h, avg(bytes), count(DISTINCT src_addr) FROM flows WHERE %W GROUP BY h COMPARE WITH %D AGO",
      "SELECT count(*), sum(rev_bytes) FROM flows WHERE %W COMPARE WITH %D AGO",
    ]
    for s in shapes {
      for w in windows {
        for d in ["1d", "3h", "12h"] {
          let sql = s.replacingOccurrences(of: "%W", with: w).replacingOccurrences(
            of: "%D", with: d)
          let now = TestData.day + 20 * Self.hour
          let expected = try ReferenceEvaluator.run(sql, batch: batch, now: now)
          let got = try engine.execute(sql, now: now)
          #expect(
            ReferenceEvaluator.same(got, expected),
            "\(sql)\n\(got.rows.prefix(3))\n\(expected.rows.prefix(3))")
        }
      }
    }
  }

  @Test func timeRangeAndZoneMapsPrune() throws {
    // Two days of time-sorted rows in 480 units of 50: one hour is 1/48 of them.
    let engine = QueryEngine(provider: TestData.provider(24000, unitRows: 50))
    let hour = try engine.execute(
      "SELECT count(*) FROM flows WHERE time >= '2026-11-28T10:00:00Z' AND time < '2026-11-28T11:00:00Z'"
    )
    let s = hour.stats!
    #expect(s.segmentsKept + s.segmentsPruned == 480)
    #expect(s.segmentsKept <= 480 / 48 + 2, "\(s)")
    let none = try engine.execute("SELECT count(*) FROM flows WHERE dst_port = 9999")
    #expect(none.stats!.blocksKept == 0 && none.stats!.blocksPruned == 480)
    #expect(none.rows == [[.int(0)]])
  }
}
