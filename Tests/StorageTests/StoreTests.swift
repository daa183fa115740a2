import Foundation
import TestSupport
import Testing

@testable import Storage

@Suite struct StoreTests {
  func options(sealRows: Int = 1_000_000, blockRows: Int = 1000) -> StoreOptions {
    var o = StoreOptions()
    o.backgroundTimer = false
    o.sealRows = sealRows
    o.blockRows = blockRows
    return o
  }

  /// Rows appended, sealed and read back after reopening are the rows appended, every one once.
  @Test func appendSealReopenRead() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let batches = (0..<5).map { randomFlows(rows: 2500, seed: UInt64($0)) }
    do {
      let store = try FlowStore(directory: dir, options: options())
      for b in batches { try store.append(b) }
      try store.seal()
      try store.close()
    }
    let reader = try StoreReader(directory: dir)
    let snap = try reader.snapshot(table: "flows")
    #expect(snap.units.allSatisfy { $0.segment != "memory" })
    #expect(try rowsOf(snap).sorted() == batches.flatMap(rowsOf).sorted())
    // One day of data in hour partitions: 24 segments.
    #expect(snap.keptSegments == 24)
    let info = try reader.info()
    #expect(info.first?.rows == 12_500)
  }

  /// Unsealed rows are visible to a reader through the WAL, and a reopened writer replays them.
  @Test func walTailVisibleAndReplayed() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let a = randomFlows(rows: 700, seed: 1)
    let b = randomFlows(rows: 300, seed: 2)
    do {
      let store = try FlowStore(directory: dir, options: options())
      try store.append(a)
      try store.append(b)
      let snap = try StoreReader(directory: dir).snapshot(table: "flows")
      #expect(try rowsOf(snap).sorted() == (rowsOf(a) + rowsOf(b)).sorted())
      // No close: simulates a crash after the appends.
    }
    let store = try FlowStore(directory: dir, options: options())
    #expect(store.unsealedRows == 1000)
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(try rowsOf(snap).sorted() == (rowsOf(a) + rowsOf(b)).sorted())
    #expect(snap.units.allSatisfy { $0.segment != "memory" })
  }

  @Test func secondWriterIsRefused() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let first = try FlowStore(directory: dir, options: options())
    #expect {
      _ = try FlowStore(directory: dir, options: options())
    } throws: { error in
      guard let e = error as? StorageError, case .locked = e else { return false }
      return e.description.contains("locked by another writer (pid \(getpid()))")
    }
    try first.close()
    let again = try FlowStore(directory: dir, options: options())
    try again.close()
  }

  /// A time-range snapshot only opens the segments of the partitions it overlaps.
  @Test func timeRangePrunesSegments() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let batch = randomFlows(rows: 24_000, seed: 3)
    let store = try FlowStore(directory: dir, options: options())
    try store.append(batch)
    try store.close()
    let start: Int64 = 1_795_737_600_000 + 10 * 3_600_000
    let snap = try StoreReader(directory: dir).snapshot(
      table: "flows", timeRange: start..<(start + 3_600_000))
    #expect(snap.keptSegments == 1)
    #expect(snap.prunedSegments == 23)
    let t = try #require(FlowSchema.flows.index(of: "time"))
    for u in snap.units {
      guard case .signed(let lo, let hi)? = u.zones[t]?.bounds else {
        Issue.record("no time zone map")
        continue
      }
      #expect(lo >= start && hi < start + 3_600_000)
    }
  }

  @Test func retentionDropsWholeExpiredSegments() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let store = try FlowStore(directory: dir, options: options())
    try store.append(randomFlows(rows: 4800, seed: 4))
    try store.seal()
    try store.setRetention(table: "flows", milliseconds: 12 * 3_600_000)
    let dropped = try store.enforceRetention(now: 1_795_737_600_000 + 24 * 3_600_000)
    #expect(dropped == 12)
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(snap.keptSegments == 12)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/segments")
    #expect(files.count == 12)
  }

  /// Files the catalog does not name (a crash between rename and commit) are removed at open.
  @Test func orphanFilesRemovedAtOpen() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try FlowStore(directory: dir, options: options()).close()
    _ = FileManager.default.createFile(
      atPath: dir + "/segments/flows-0-ff-0.seg", contents: Data([1, 2]))
    _ = FileManager.default.createFile(atPath: dir + "/segments/x.seg.tmp", contents: Data([1]))
    try FlowStore(directory: dir, options: options()).close()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/segments").isEmpty)
  }

  /// A segment written at an older schema version reads its missing columns as NULL.
  @Test func olderSchemaReadsNewColumnsAsNull() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let v1 = TableSchema(name: "t", version: 1, columns: [ColumnDefinition("time", .timestamp)])
    let v2 = TableSchema(
      name: "t", version: 2,
      columns: v1.columns + [ColumnDefinition("port", .uint16, since: 2)])
    let batch = try ColumnBatch(
      schema: v1, rowCount: 3, columns: ["time": ColumnVector(.timestamp([1, 2, 3]))])
    let (bytes, _) = SegmentWriter.encode(batch, blockRows: 2)
    try PosixFileSystem().writeFileAtomically(dir + "/a.seg", bytes)
    let reader = try SegmentReader(path: dir + "/a.seg", schema: v2)
    let cols = try reader.read(block: 1, columns: [1, 0])
    #expect(cols[0].nullCount == 1)
    #expect(cols[1].values == .timestamp([3]))
  }
}

@Suite struct ScanTests {
  /// A pushed-down predicate skips the blocks whose zone maps exclude it and reads only the
  /// columns asked for; the rows that come back are exactly the matching rows of the input.
  @Test func zoneMapsSkipBlocks() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    var o = StoreOptions()
    o.backgroundTimer = false
    o.blockRows = 100
    let batch = randomFlows(rows: 24_000, seed: 9, nullRate: 0)
    let store = try FlowStore(directory: dir, options: o)
    try store.append(batch)
    try store.close()
    let reader = try StoreReader(directory: dir)
    let t0: Int64 = 1_795_737_600_000 + 5 * 3_600_000 + 600_000
    let range = t0..<(t0 + 600_000)
    var seen: [Int64] = []
    let skipped = try reader.scan(table: "flows", timeRange: range, columns: ["time", "bytes"]) {
      unit, cols in
      #expect(cols.count == 2)
      guard case .timestamp(let t) = cols[0].values else { return }
      seen += t.filter { range.contains($0) }
    }
    guard case .timestamp(let all) = batch.columns[0]!.values else { return }
    #expect(seen.sorted() == all.filter { range.contains($0) }.sorted())
    #expect(skipped > 0)
    let hour = try reader.snapshot(table: "flows", timeRange: range).units.count
    #expect(hour >= 10)
    #expect(
      skipped >= hour - 3, "a 10-minute window touches at most 3 of its hour's 100-row blocks")
    // A predicate on a column with no matching value anywhere reads nothing.
    let port = try #require(FlowSchema.flows.index(of: "dst_port"))
    var blocks = 0
    try reader.scan(
      table: "flows", columns: ["dst_port"], where: [ZonePredicate(column: port, .unsigned(1...21))]
    ) { _, _ in blocks += 1 }
    #expect(blocks == 0)
  }
}
