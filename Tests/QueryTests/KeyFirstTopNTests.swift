import Storage
import TestSupport
import Testing

@testable import Query

/// The two-pass top-N (`KeyFirstTopN`: the sort key first, then only the winning rows) against
/// the row-at-a-time reference evaluator, over stored segments and rows in memory, with ties,
/// several sort keys, NULL keys and limits past the non-NULL rows; and the shapes it leaves to
/// the one-pass operator.
@Suite struct KeyFirstTopNTests {
  static let queries = [
    "SELECT * FROM flows ORDER BY bytes DESC LIMIT 25",
    "SELECT src_addr, bytes, app FROM flows ORDER BY bytes LIMIT 7",
    "SELECT time, dst_port FROM flows ORDER BY time DESC LIMIT 40",
    // Ties on the first key, broken by input order or by the second key.
    "SELECT dst_port, src_addr, time FROM flows ORDER BY dst_port DESC LIMIT 30",
    "SELECT proto, bytes, src_port FROM flows ORDER BY proto, bytes DESC LIMIT 12",
    "SELECT dst_port, time FROM flows ORDER BY dst_port, time DESC LIMIT 60",
    // A nullable key: NULLs sort last, and past the non-NULL rows they fill the rest.
    "SELECT rev_bytes, bytes FROM flows ORDER BY rev_bytes DESC LIMIT 15",
    "SELECT rev_bytes, dst_port FROM flows ORDER BY rev_bytes LIMIT 50000",
    "SELECT bytes FROM flows ORDER BY bytes DESC LIMIT 0",
    // An expression among the outputs, and one as the key (the one-pass operator).
    "SELECT bytes * 8 AS bits, lower(app), bytes FROM flows ORDER BY bytes DESC LIMIT 9",
    "SELECT bytes * 8 AS bits FROM flows ORDER BY bits DESC LIMIT 9",
  ]

  static let options = [
    ExecutionOptions(batchSize: 2048, parallelism: 1, morselRows: 100_000),
    ExecutionOptions(batchSize: 100, parallelism: 2, morselRows: 500),
    ExecutionOptions(batchSize: 7, parallelism: 2, morselRows: 1),
  ]

  @Test(arguments: queries) func storedMatchesReference(_ sql: String) throws {
    let reader = try StoreReader(directory: StoredReferenceTests.directory)
    try check(sql, provider: reader)
  }

  @Test(arguments: queries) func inMemoryMatchesReference(_ sql: String) throws {
    try check(sql, provider: MemoryTableProvider(batch: ReferenceTests.batch, unitRows: 997))
  }

  private func check(_ sql: String, provider: any TableProvider) throws {
    try expectMatchesReference(sql, provider: provider, options: Self.options)
  }

  /// The two-pass operator answers the shapes it is for, and declines the others, so the
  /// comparisons above exercise both operators.
  @Test func takesTheShapesItIsFor() throws {
    let reader = try StoreReader(directory: StoredReferenceTests.directory)
    let engine = QueryEngine(provider: reader, options: Self.options[0])
    func taken(_ sql: String) throws -> Bool {
      guard case .select(let p) = try engine.plan(Parser.parse(sql), now: ReferenceTests.now)
      else { return false }
      let scan = try ScanOperator(
        plan: p, provider: reader, options: Self.options[0], shift: 0, cancel: nil)
      let topN = TopN(order: SortKeys(keys: p.orderBy), limit: p.limit!)
      return try KeyFirstTopN.run(scan, topN: topN) != nil
    }
    #expect(try taken("SELECT * FROM flows ORDER BY bytes DESC LIMIT 25"))
    #expect(try taken("SELECT dst_port, time FROM flows ORDER BY dst_port, time DESC LIMIT 60"))
    // A filter, an expression key, or more rows than there are non-NULL keys: one pass.
    #expect(try !taken("SELECT * FROM flows WHERE proto = 6 ORDER BY bytes DESC LIMIT 25"))
    #expect(try !taken("SELECT bytes * 8 AS bits FROM flows ORDER BY bits DESC LIMIT 9"))
    #expect(try !taken("SELECT rev_bytes FROM flows ORDER BY rev_bytes LIMIT 50000"))
  }
}

/// Reading a few rows of a block (`ScanUnit.read(columns:rows:)`) gives what reading the whole
/// block and picking the rows gives, for every column type, from stored segments.
@Suite struct GatheredReadTests {
  @Test func gatheredRowsEqualPickedRows() throws {
    let reader = try StoreReader(directory: StoredReferenceTests.directory)
    let snap = try reader.snapshot(table: "flows", timeRange: nil)
    let columns = Array(snap.schema.columns.indices)
    var rng = SplitMix(seed: 5)
    for unit in snap.units.prefix(40) {
      let rows = (0..<unit.rowCount).filter { _ in Int.random(in: 0..<9, using: &rng) == 0 }
      let whole = try unit.read(columns: columns)
      let few = try unit.read(columns: columns, rows: rows)
      for (c, (w, f)) in zip(whole, few).enumerated() {
        #expect(w.gather(rows) == f, "column \(snap.schema.columns[c].name)")
      }
    }
  }
}
