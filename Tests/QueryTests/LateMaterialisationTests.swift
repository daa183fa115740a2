import Storage
import TestSupport
import Testing

@testable import Query

/// Aggregates whose filter reads some of their columns (`ScanOperator.forEachFilteredBatch`):
/// the filter columns first, the others whole or at the passing rows only. Answers against the
/// row-at-a-time reference evaluator over stored segments, at several batch sizes and worker
/// counts, for selective filters (the rows read at their positions) and broad ones (the other
/// columns read whole); and a check that both ways are taken.
@Suite struct LateMaterialisationTests {
  static let queries = [
    // Selective: a port, a few addresses, a rare string.
    "SELECT src_addr, count(*), sum(bytes), max(time) FROM flows WHERE dst_port = 443 GROUP BY src_addr",
    "SELECT app, sum(rev_bytes), min(src_addr) FROM flows WHERE dst_addr IN ('10.0.0.1', '10.0.0.2', '10.0.0.3') GROUP BY app",
    "SELECT dst_port, count(DISTINCT src_addr), quantile(bytes, 0.5) FROM flows WHERE http_status = 404 GROUP BY dst_port",
    "SELECT count(*), sum(packets), min(app), max(http_status) FROM flows WHERE bytes > 60000",
    // Broad: most rows pass, the other columns are read whole.
    "SELECT proto, sum(bytes), count(*) FROM flows WHERE NOT (dst_port = 53) GROUP BY proto",
    "SELECT lower(app), avg(bytes) FROM flows WHERE src_addr != '192.168.1.5' AND rev_bytes IS NULL GROUP BY 1",
  ]

  @Test(arguments: queries) func matchesReference(_ sql: String) throws {
    let reader = try StoreReader(directory: StoredReferenceTests.directory)
    let options = [(2048, 1), (100, 2), (7, 2)].map {
      ExecutionOptions(batchSize: $0.0, parallelism: $0.1, morselRows: 500)
    }
    try expectMatchesReference(sql, provider: reader, options: options)
  }

  /// A selective filter hands over batches of the passing rows alone (every row selected, fewer
  /// than the block's), a broad one the block's batches with their selections.
  @Test func bothWaysAreTaken() throws {
    let reader = try StoreReader(directory: StoredReferenceTests.directory)
    let options = ExecutionOptions(batchSize: 2048, parallelism: 1, morselRows: 100_000)
    let engine = QueryEngine(provider: reader, options: options)
    func batches(_ sql: String) throws -> (compacted: Int, selected: Int) {
      guard case .select(let p) = try engine.plan(Parser.parse(sql), now: ReferenceTests.now)
      else { return (0, 0) }
      let scan = try ScanOperator(
        plan: p, provider: reader, options: options, shift: 0, cancel: nil)
      var compacted = 0
      var selected = 0
      for m in scan.morsels.indices {
        try scan.forEachFilteredBatch(m, filter: p.filter, cache: nil) {
          (b: Batch, s: Selection) throws(QueryError) -> Bool in
          if s.all && s.count == b.count { compacted += 1 } else { selected += 1 }
          return true
        }
      }
      return (compacted, selected)
    }
    let selective = try batches(
      "SELECT src_addr, sum(bytes) FROM flows WHERE dst_port = 443 GROUP BY 1")
    #expect(selective.compacted > 0)
    let broad = try batches(
      "SELECT proto, sum(bytes) FROM flows WHERE NOT (dst_port = 53) GROUP BY 1")
    #expect(broad.selected > 0)
  }
}
