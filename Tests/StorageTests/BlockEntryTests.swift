import Foundation
import TestSupport
import Testing

@testable import Storage

/// WAL entries of encoded blocks: what an append in time order is logged as.
@Suite struct BlockEntryTests {
  /// One time-ordered batch of `rows` rows (NULLs in some columns) within one partition.
  static func ordered(rows: Int, seed: UInt64, start: Int64 = 1_795_737_600_000) -> ColumnBatch {
    let raw = randomFlows(rows: rows, seed: seed, start: start, span: 600_000, nullRate: 0.1)
    guard case .timestamp(let t) = raw.columns[0]!.values else { return raw }
    let order = t.indices.sorted { t[$0] < t[$1] }
    return ColumnBatch(
      schema: raw.schema, rowCount: rows, positional: raw.columns.map { $0?.gather(order) })
  }

  /// Blocks logged with and without direct I/O replay to the rows encoded, next to plain
  /// entries, in sequence order.
  @Test(arguments: [false, true]) func blocksReplayToTheirRows(direct: Bool) throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = PosixFileSystem()
    let schema = FlowSchema.flows
    let a = Self.ordered(rows: 20_000, seed: 1)
    let b = Self.ordered(rows: 700, seed: 2)
    let cuts = OrderedRows.blocks(0..<a.rowCount, blockRows: 8_192)
    let blocks = SegmentWriter.encodeBlocks(cuts.map { SealBlock(a, rows: $0) }, threads: 2)
    let wal = try WriteAheadLog(directory: dir, fs: fs, nextSequence: 1, direct: direct)
    _ = try wal.append(blocks: blocks, rows: cuts.map(\.count), schema: schema)
    _ = try wal.append(b)
    let replay = try WriteAheadLog.replay(
      directory: dir, fs: fs, after: 0, schemas: ["flows": schema])
    #expect(replay.entries.map(\.sequence) == [1, 2])
    #expect(replay.entries.map { rowsOf($0.batch) } == [rowsOf(a), rowsOf(b)])
    #expect(replay.tornFiles.isEmpty)
  }

  /// A payload cut short or with a flipped bit decodes to nothing (the chunk checksums catch
  /// what the entry checksum would), never to other rows, and never crashes.
  @Test func damagedPayloadsDecodeToNothing() {
    let schema = FlowSchema.flows
    let a = Self.ordered(rows: 3_000, seed: 3)
    let blocks = SegmentWriter.encodeBlocks([SealBlock(a, rows: 0..<3_000)])
    let payload = BlockEntry.head(blocks, rows: [3_000], schema: schema) + blocks[0].bytes
    let schemas = ["flows": schema]
    #expect(
      payload.withUnsafeBytes { BlockEntry.decode($0, schemas: schemas) }.map(rowsOf) == rowsOf(a))
    var rng = SplitMix(seed: 11)
    for _ in 0..<300 {
      var bad = payload
      if rng.next() % 2 == 0 {
        bad.removeLast(Int(rng.next() % UInt64(bad.count)) + 1)
      } else {
        bad[Int(rng.next() % UInt64(bad.count))] ^= UInt8(1 << (rng.next() % 8))
      }
      let decoded = bad.withUnsafeBytes { BlockEntry.decode($0, schemas: schemas) }
      // A flip in the footer's zone maps or in padding may leave the rows intact.
      if let decoded { #expect(rowsOf(decoded) == rowsOf(a)) }
    }
  }

  /// A store logs an append in time order as blocks: the log takes a fraction of the columns'
  /// bytes, a reader sees the rows while they are unsealed, and a reopened writer seals them.
  @Test func storeLogsOrderedAppendsAsBlocks() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    var options = StoreOptions()
    options.backgroundTimer = false
    let a = Self.ordered(rows: 40_000, seed: 4)
    do {
      let store = try FlowStore(directory: dir, options: options)
      try store.append(a)
      // The same rows as a plain entry, for comparison.
      let plainDir = temporaryDirectory()
      defer { cleanup(plainDir) }
      let plain = try WriteAheadLog(directory: plainDir, fs: PosixFileSystem(), nextSequence: 1)
      _ = try plain.append(a)
      #expect(try walBytes(dir + "/wal") * 2 < walBytes(plainDir))
      let snap = try StoreReader(directory: dir).snapshot(table: "flows")
      #expect(try rowsOf(snap) == rowsOf(a))
      // No close: a crash.
    }
    let store = try FlowStore(directory: dir, options: options)
    #expect(store.unsealedRows == 40_000)
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(try rowsOf(snap) == rowsOf(a))
  }

  /// An append that crosses into the next partition with a run shorter than a block is logged
  /// as blocks too (the short run one block of its own), and seals to each partition's rows.
  @Test func storeLogsPartitionCrossingAppendsAsBlocks() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    var options = StoreOptions()
    options.backgroundTimer = false
    // Ten minutes of flows from 9.5 minutes before an hour: about 2,000 of 40,000 in the next.
    let boundary: Int64 = 1_795_737_600_000
    let a = Self.ordered(rows: 40_000, seed: 5, start: boundary - 570_000)
    guard case .timestamp(let t) = a.columns[0]!.values else { return }
    let late = t.filter { $0 >= boundary }.count
    #expect(late > 0 && late < options.blockRows)
    do {
      let store = try FlowStore(directory: dir, options: options)
      try store.append(a)
      #expect(store.takeSpareBatch() == a)  // encoded at once, not held
      let plainDir = temporaryDirectory()
      defer { cleanup(plainDir) }
      let plain = try WriteAheadLog(directory: plainDir, fs: PosixFileSystem(), nextSequence: 1)
      _ = try plain.append(a)
      #expect(try walBytes(dir + "/wal") * 2 < walBytes(plainDir))
      // No close: a crash.
    }
    let store = try FlowStore(directory: dir, options: options)
    #expect(store.unsealedRows == 40_000)
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(try rowsOf(snap).sorted() == rowsOf(a).sorted())
    #expect(snap.units.count >= 2)
  }

  func walBytes(_ dir: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: dir).reduce(0) { n, f in
      n + (try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as? Int ?? 0)
    }
  }
}
