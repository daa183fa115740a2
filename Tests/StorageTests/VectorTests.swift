import Testing

@testable import Storage

/// Appending vectors and bitmaps in place, checked against the rows as plain arrays.
@Suite struct VectorTests {
  /// Bitmaps of every alignment appended one after another hold exactly the appended bits,
  /// with no stray bits past the end and no spare words.
  @Test func bitmapAppendAnyAlignment() {
    var rng = SeededRandom(seed: 21)
    for _ in 0..<50 {
      var all = Bitmap(count: 0, value: false)
      var bits: [Bool] = []
      for _ in 0..<Int.random(in: 1...8, using: &rng) {
        let n = [0, 1, 7, 63, 64, 65, 130, Int.random(in: 0...300, using: &rng)].randomElement(
          using: &rng)!
        var b = Bitmap(count: n, value: false)
        for i in 0..<n where Bool.random(using: &rng) {
          b[i] = true
        }
        bits += (0..<n).map { b[$0] }
        all.append(contentsOf: b)
      }
      #expect(all.count == bits.count)
      #expect(all.words.count == (bits.count + 63) / 64)
      #expect((0..<bits.count).map { all[$0] } == bits)
      #expect(all.setCount == bits.filter { $0 }.count)
    }
  }

  /// Batches gathered in `ActiveRows` (columns absent in some batches, NULLs in others) read
  /// as the batches' rows in order, also after a reset and refill.
  @Test func activeRowsGatherBatches() {
    var rows = ActiveRows(schema: FlowSchema.flows)
    for round in 0..<2 {
      var batches: [ColumnBatch] = []
      for k in 0..<5 {
        var b = randomFlows(
          rows: [1, 100, 64, 2500, 33][k], seed: UInt64(10 * round + k),
          nullRate: k % 2 == 0 ? 0.2 : 0)
        // Drop a column from some batches, and one column is absent until the last batch.
        if k % 2 == 1, let i = b.schema.index(of: "bytes") { b.columns[i] = nil }
        if k < 4, let i = b.schema.index(of: "in_if") { b.columns[i] = nil }
        batches.append(b)
        rows.append(b)
      }
      #expect(rows.rowCount == batches.reduce(0) { $0 + $1.rowCount })
      #expect(rowsOf(rows.batch) == batches.flatMap(rowsOf))
      #expect(
        rowsOf(FlowStore.concatenate(batches, schema: FlowSchema.flows))
          == batches.flatMap(rowsOf))
      rows.reset()
      #expect(rows.rowCount == 0)
      #expect(rowsOf(rows.batch).isEmpty)
    }
  }
}
