import Foundation
import Storage
import TestSupport
import Testing

@testable import Query

extension StoreReader: TableProvider {}

/// The reference queries over rows stored in real segments (string columns read as dictionary
/// codes, blocks pruned by zone maps, units decoded from disk), against the row-at-a-time
/// reference evaluator over the same rows.
@Suite struct StoredReferenceTests {
  /// A store holding `ReferenceTests.batch`, sealed into small blocks over many segments.
  static let directory: String = {
    let dir = FileManager.default.temporaryDirectory.path + "/flowstore-stored-ref-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    var options = StoreOptions()
    options.blockRows = 500
    options.backgroundTimer = false
    let store = try! FlowStore(directory: dir, options: options)
    let b = ReferenceTests.batch
    for start in stride(from: 0, to: b.rowCount, by: 1000) {
      let range = start..<min(b.rowCount, start + 1000)
      var cols: [String: ColumnVector] = [:]
      for (i, c) in b.schema.columns.enumerated() {
        if let v = b.columns[i] { cols[c.name] = v.slice(range) }
      }
      _ = try! store.append(ColumnBatch(schema: b.schema, rowCount: range.count, columns: cols))
    }
    try! store.close()
    return dir
  }()

  @Test func randomQueriesOverStoredSegmentsMatchReference() throws {
    let reader = try StoreReader(directory: Self.directory)
    var rng = SplitMix(seed: 77)
    for k in 0..<300 {
      let sql = ReferenceTests.randomQuery(&rng)
      let expected = try ReferenceEvaluator.run(
        sql, batch: ReferenceTests.batch, now: ReferenceTests.now)
      let options = ExecutionOptions(
        batchSize: [2048, 100, 7][k % 3], parallelism: 1 + k % 2, morselRows: [500, 100_000][k % 2])
      let got = try QueryEngine(provider: reader, options: options).execute(
        sql, now: ReferenceTests.now)
      #expect(
        ReferenceEvaluator.same(got, expected),
        "\(sql)\nengine: \(got.rows.prefix(5))\nreference: \(expected.rows.prefix(5))")
    }
  }
}

/// Segments past the reader's mapping budget are read with `pread`: the answers are the same
/// whether every segment, some or none is mapped.
@Suite struct MappingBudgetTests {
  @Test func answersDoNotDependOnTheMappingBudget() throws {
    let queries = [
      "SELECT src_addr, count(*), sum(bytes) FROM flows WHERE dst_port = 443 GROUP BY src_addr",
      "SELECT * FROM flows ORDER BY bytes DESC LIMIT 20",
      "SELECT app, lower(app), max(time) FROM flows GROUP BY 1, 2",
    ]
    let dir = StoredReferenceTests.directory
    let all = try StoreReader(directory: dir)
    for budget in [0, 40_000, Int.max] {
      let reader = try StoreReader(directory: dir, mappedBytesBudget: budget)
      for sql in queries {
        let a = try QueryEngine(provider: all).execute(sql, now: ReferenceTests.now)
        let b = try QueryEngine(provider: reader).execute(sql, now: ReferenceTests.now)
        #expect(a.rows == b.rows, "\(sql) with a budget of \(budget) bytes")
      }
    }
  }
}
