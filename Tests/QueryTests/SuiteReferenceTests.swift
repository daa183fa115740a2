import Foundation
import Storage
import Testing

@testable import Query

/// Every query of the engine benchmark suite (Benchmarks/engine_suite.tsv), run by the
/// vectorized engine over the reference rows, in memory and from stored segments, at several
/// batch sizes and worker counts, against the row-at-a-time reference evaluator.
@Suite struct SuiteReferenceTests {
  /// (name, FlowQL) of each suite line.
  static let queries: [(String, String)] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Benchmarks/engine_suite.tsv")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
      if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { return nil }
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      return f.count >= 4 ? (String(f[0]), String(f[3])) : nil
    }
  }()

  /// The same rows, integers within 5 % (HyperLogLog against the reference's exact count).
  static func approximatelySame(_ a: QueryResult, _ b: QueryResult) -> Bool {
    guard a.rows.count == b.rows.count else { return false }
    for (x, y) in zip(a.rows, b.rows) {
      guard x.count == y.count else { return false }
      for (u, v) in zip(x, y) where u != v {
        guard let p = u.intValue, let q = v.intValue, q != 0 else { return false }
        if abs(Double(p - q)) / Double(abs(q)) > 0.05 { return false }
      }
    }
    return true
  }

  @Test func theSuiteIsThere() {
    #expect(Self.queries.count >= 27, "engine_suite.tsv has \(Self.queries.count) queries")
  }

  @Test(arguments: Self.queries.map(\.0))
  func suiteQueryMatchesReference(_ name: String) throws {
    let sql = Self.queries.first { $0.0 == name }!.1
    let expected = try ReferenceEvaluator.run(
      sql, batch: ReferenceTests.batch, now: ReferenceTests.now)
    let memory = MemoryTableProvider(batch: ReferenceTests.batch, unitRows: 700)
    let stored = try StoreReader(directory: StoredReferenceTests.directory)
    let providers: [any TableProvider] = [memory, stored]
    for provider in providers {
      for (bs, par) in [(2048, 1), (100, 2), (7, 2)] {
        let got = try QueryEngine(
          provider: provider,
          options: ExecutionOptions(batchSize: bs, parallelism: par, morselRows: 1500)
        ).execute(sql, now: ReferenceTests.now)
        #expect(
          sql.contains("approx_count_distinct")
            ? Self.approximatelySame(got, expected) : ReferenceEvaluator.same(got, expected),
          "\(name): \(sql)\nengine: \(got.rows.prefix(5))\nreference: \(expected.rows.prefix(5))")
      }
    }
  }
}
