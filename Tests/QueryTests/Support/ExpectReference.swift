import Storage
import Testing

@testable import Query

/// Runs `sql` over `provider` with each of `options` and expects the reference evaluator's
/// answer over ``ReferenceTests/batch``, naming the query, batch size and workers on a mismatch.
func expectMatchesReference(
  _ sql: String, provider: any TableProvider, options: [ExecutionOptions],
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
  let expected = try ReferenceEvaluator.run(
    sql, batch: ReferenceTests.batch, now: ReferenceTests.now)
  for o in options {
    let got = try QueryEngine(provider: provider, options: o).execute(
      sql, now: ReferenceTests.now)
    #expect(
      ReferenceEvaluator.same(got, expected),
      "\(sql) (batch \(o.batchSize), workers \(o.parallelism))\nengine: \(got.rows.prefix(5))\nreference: \(expected.rows.prefix(5))",
      sourceLocation: sourceLocation)
  }
}
