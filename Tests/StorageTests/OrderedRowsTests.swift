import Foundation
import TestSupport
import Testing

@testable import Storage

/// Rows appended in time order are encoded into blocks as they come; the seal only lays the
/// blocks out. Checked against the rows appended, partitioned and sorted by the plain path
/// (``FlowStore/partitions(_:width:)``), read back from the segment files.
@Suite struct OrderedRowsTests {
  static let hour = SealPlanTests.hour

  func options(blockRows: Int = 16_384) -> StoreOptions {
    var o = StoreOptions()
    o.backgroundTimer = false
    o.blockRows = blockRows
    o.partitionMilliseconds = Self.hour
    return o
  }

  /// Every segment file of `dir`, as its rows in file order and the rows of each block.
  func segments(_ dir: String) throws -> [(rows: [String], blocks: [Int])] {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/segments").sorted()
    return try names.map { name in
      let seg = try SegmentReader(path: dir + "/segments/" + name, schema: FlowSchema.flows)
      let all = Array(FlowSchema.flows.columns.indices)
      var rows: [String] = []
      for u in seg.units(name: name) {
        let cols = try u.read(columns: all)
        for r in 0..<u.rowCount { rows.append(cols.map { cell($0, r) }.joined(separator: "|")) }
      }
      return (rows, seg.footer.blocks.map(\.rows))
    }
  }

  /// Time-ordered appends of uneven sizes (one of a single row, NULLs in some, a column absent
  /// from some) across partitions: one segment per partition, holding exactly that partition's
  /// rows in time order, in blocks of half to one and a half `blockRows`.
  /// The order check agrees with a plain pairwise comparison, for one descent anywhere (at the
  /// edges of its 1,024-row stretches too), equal neighbours, and the bound on the first time.
  @Test func orderCheckFindsEveryDescent() {
    var rng = SplitMix(seed: 61)
    for n in [1, 2, 1023, 1024, 1025, 3000] {
      var times = (0..<n).map { _ in Int64.random(in: 0...1_000, using: &rng) }
      times.sort()
      let reference = { (t: [Int64], first: Int64) in
        t[0] >= first && zip(t, t.dropFirst()).allSatisfy { $0 <= $1 }
      }
      #expect(FlowStore.inOrder(times, from: times[0]) == true)
      #expect(FlowStore.inOrder(times, from: times[0] + 1) == false)
      for at in Set([1, 2, 1023, 1024, 1025, n / 2, n - 1]) where at >= 1 && at < n {
        var t = times
        t[at] = t[at - 1] - 1
        #expect(FlowStore.inOrder(t, from: .min) == reference(t, .min), "n \(n) at \(at)")
      }
    }
  }

  @Test func orderedAppendsSealToEachPartitionsRows() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let parts = SealPlanTests.orderedParts()
    let store = try FlowStore(directory: dir, options: options())
    for p in parts { try store.append(p) }
    #expect(store.unsealedRows == parts.reduce(0) { $0 + $1.rowCount })
    try store.close()
    let all = FlowStore.concatenate(parts, schema: FlowSchema.flows)
    let expected = FlowStore.partitions(all, width: Self.hour).map { _, batch, rows in
      Array(rowsOf(batch)[rows])
    }
    let found = try segments(dir)
    #expect(found.map(\.rows).sorted { $0[0] < $1[0] } == expected.sorted { $0[0] < $1[0] })
    // Appends of a block or more are cut where they lie; smaller ones are gathered.
    for s in found { #expect(s.blocks.allSatisfy { $0 <= 16_384 * 3 / 2 }) }
  }

  /// An append in time order is encoded, not held: the store hands it back at once for reuse.
  @Test func encodedAppendIsSpareAtOnce() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let parts = SealPlanTests.orderedParts()
    let store = try FlowStore(directory: dir, options: options())
    try store.append(parts[0])
    #expect(store.takeSpareBatch() == parts[0])
    try store.append(parts[1])
    #expect(store.takeSpareBatch() == nil)  // too small to be worth keeping
    try store.close()
  }

  /// An append that goes back in time ends the encoded prefix: it and every later append until
  /// the seal are held as they came and sorted by the seal, in segments of their own. No row is
  /// lost or doubled, and each segment is in time order within one partition.
  @Test func appendOutOfOrderFallsBackToSorting() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let parts = SealPlanTests.orderedParts()
    let late = randomFlows(rows: 3_000, seed: 77, nullRate: 0.05)
    let sequence = Array(parts[..<3]) + [late] + Array(parts[3...])
    let store = try FlowStore(directory: dir, options: options(blockRows: 4_096))
    for p in sequence { try store.append(p) }
    try store.seal()
    // After the seal, time order starts afresh: an earlier batch is encoded again.
    try store.append(parts[0])
    try store.close()
    let found = try segments(dir)
    #expect(found.flatMap(\.rows).sorted() == (sequence + [parts[0]]).flatMap(rowsOf).sorted())
    for s in found {
      let times = s.rows.map { Int64($0.split(separator: "|")[0].dropFirst())! }
      #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
      #expect(Set(times.map { FlowStore.partition(of: $0, width: Self.hour) }).count == 1)
    }
  }

  /// Appends go on being encoded after a replay: the WAL's entries are added as appends are.
  @Test func replayedRowsSealOnce() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let parts = SealPlanTests.orderedParts()
    do {
      let store = try FlowStore(directory: dir, options: options())
      for p in parts[..<4] { try store.append(p) }
      // No close: a crash after the appends.
    }
    let store = try FlowStore(directory: dir, options: options())
    for p in parts[4...] { try store.append(p) }
    try store.close()
    #expect(try segments(dir).flatMap(\.rows).sorted() == parts.flatMap(rowsOf).sorted())
  }

  /// The cuts of an append cover its rows once, each block half to one and a half `blockRows`.
  @Test func cutsCoverTheRows() {
    for n in [16, 17, 23, 24, 31, 32, 33, 100, 1_000] {
      let rows = 5..<(5 + n)
      let cuts = OrderedRows.blocks(rows, blockRows: 16)
      #expect(cuts.first?.lowerBound == rows.lowerBound)
      #expect(cuts.last?.upperBound == rows.upperBound)
      #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
      #expect(cuts.allSatisfy { $0.count >= 8 && $0.count < 24 })
    }
  }
}
