import Foundation
import TestSupport
import Testing

@testable import Storage

/// Appending vectors and bitmaps in place, checked against the rows as plain arrays.
@Suite struct VectorTests {
  /// Bitmaps of every alignment appended one after another hold exactly the appended bits,
  /// with no stray bits past the end and no spare words.
  @Test func bitmapAppendAnyAlignment() {
    var rng = SplitMix(seed: 21)
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

  /// Time-ordered rows (the runs path of partitioning), with times on partition boundaries,
  /// land one segment per hour and read back whole.
  @Test func sortedRowsSplitByHour() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let hour: Int64 = 3_600_000
    let start = 1_795_737_600_000 - 2 * hour  // an hour boundary
    let raw = randomFlows(rows: 3000, seed: 77, start: start, span: 5 * hour, nullRate: 0)
    guard case .timestamp(var t) = raw.columns[0]!.values else { return }
    t[0] = start
    t[1] = start + hour - 1
    t[2] = start + hour
    t[3] = start + 3 * hour
    let order = t.indices.sorted { t[$0] < t[$1] }
    var cols = raw.columns
    cols[0] = ColumnVector(.timestamp(t))
    let batch = try ColumnBatch(
      schema: raw.schema, rowCount: raw.rowCount,
      columns: Dictionary(
        uniqueKeysWithValues: raw.schema.columns.indices.compactMap { i in
          cols[i].map { (raw.schema.columns[i].name, $0.gather(order)) }
        }))
    var o = StoreOptions()
    o.backgroundTimer = false
    o.blockRows = 500
    do {
      let store = try FlowStore(directory: dir, options: o)
      try store.append(batch)
      try store.close()
    }
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(snap.keptSegments == 5)
    #expect(try rowsOf(snap) == rowsOf(batch))
  }

  /// Zone maps (NULL counts by words, two-lane bounds) agree with a plain scan of the rows,
  /// for every range alignment.
  @Test func zoneMapsAgreeWithAScan() {
    let batch = randomFlows(rows: 1000, seed: 5, nullRate: 0.3)
    var rng = SplitMix(seed: 6)
    for _ in 0..<200 {
      let a = Int.random(in: 0..<1000, using: &rng)
      let b = Int.random(in: a...1000, using: &rng)
      for c in batch.columns.compactMap({ $0 }) {
        let zone = ZoneMap(of: c, rows: a..<b)
        let present = (a..<b).filter { c.isValid($0) }
        #expect(zone.nullCount == b - a - present.count)
        func expect<T: Comparable>(_ v: [T], _ lo: T?, _ hi: T?) {
          #expect(present.map { v[$0] }.min() == lo)
          #expect(present.map { v[$0] }.max() == hi)
        }
        switch (c.values, zone.bounds) {
        case (.uint8(let v), .unsigned(let lo, let hi)): expect(v.map(UInt64.init), lo, hi)
        case (.uint16(let v), .unsigned(let lo, let hi)): expect(v.map(UInt64.init), lo, hi)
        case (.uint32(let v), .unsigned(let lo, let hi)): expect(v.map(UInt64.init), lo, hi)
        case (.uint64(let v), .unsigned(let lo, let hi)): expect(v, lo, hi)
        case (.timestamp(let v), .signed(let lo, let hi)): expect(v, lo, hi)
        case (.ip(let v), .ip(let lo, let hi)): expect(v, lo, hi)
        case (_, .none): #expect(present.isEmpty || c.type == .string)
        default: Issue.record("bounds of the wrong kind for \(c.type)")
        }
      }
    }
  }
}
