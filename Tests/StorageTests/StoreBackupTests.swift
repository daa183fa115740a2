import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Storage

/// `StoreBackup` while a writer appends and seals: every copy holds exactly the rows of the
/// first K batches appended (no row lost between the copied catalog and WAL, none twice), reads
/// with every checksum sound, and opens as a writable store.
@Suite struct StoreBackupTests {
  @Test func backupsTakenWhileSealingHoldAPrefixOfTheAppends() throws {
    let base = temporaryDirectory()
    defer { cleanup(base) }
    let dir = base + "/data"
    var options = StoreOptions()
    options.backgroundTimer = false
    options.blockRows = 200
    let batches = (0..<60).map { randomFlows(rows: 500, seed: UInt64(100 + $0), nullRate: 0) }
    let store = try FlowStore(directory: dir, options: options)
    let appended = Mutex(0)
    let writer = Thread {
      for (i, b) in batches.enumerated() {
        _ = try? store.append(b)
        appended.withLock { $0 = i + 1 }
        if i % 5 == 4 { try? store.seal() }
        usleep(3000)
      }
    }
    writer.start()
    var copies: [(path: String, atLeast: Int, atMost: Int, summary: StoreBackup.Summary)] = []
    while appended.withLock({ $0 }) < batches.count, copies.count < 8 {
      let before = appended.withLock { $0 }
      let path = base + "/backup\(copies.count)"
      let summary = try StoreBackup.copy(from: dir, to: path)
      copies.append((path, before, appended.withLock { $0 }, summary))
      usleep(20_000)
    }
    while appended.withLock({ $0 }) < batches.count { usleep(10_000) }
    try store.close()
    #expect(copies.count >= 2)

    for c in copies {
      let reader = try StoreReader(directory: c.path)
      let rows = try rowsOf(try reader.snapshot(table: "flows"))
      #expect(rows.count % 500 == 0, "\(c.path): \(rows.count) rows")
      let k = rows.count / 500
      #expect(
        (c.atLeast...c.atMost).contains(k),
        "\(c.path): \(k) batches, not \(c.atLeast)...\(c.atMost)")
      let prefix = batches.prefix(k).flatMap(rowsOf)
      let same = rows.sorted() == prefix.sorted()
      #expect(same, "\(c.path): its \(rows.count) rows are not the first \(k) batches")
      #expect(try reader.verify(table: "flows").isEmpty)
      #expect(c.summary.segments == (try reader.info(countingUnsealed: false)).first?.segments)
      // A restore: the copy opens for writing, replays its WAL and seals.
      let restored = try FlowStore(directory: c.path, options: options)
      try restored.close()
      #expect(try StoreReader(directory: c.path).info().first?.rows == rows.count)
    }
  }

  @Test func backupRefusesAFolderThatHoldsFiles() throws {
    let base = temporaryDirectory()
    defer { cleanup(base) }
    try FlowStore(directory: base + "/data").close()
    try FileManager.default.createDirectory(
      atPath: base + "/full", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: base + "/full/x", contents: Data([1]))
    #expect(throws: StorageError.self) {
      try StoreBackup.copy(from: base + "/data", to: base + "/full")
    }
    #expect(throws: StorageError.self) {
      try StoreBackup.copy(from: base + "/none", to: base + "/b")
    }
  }

  /// A catalog written by a newer flowstore (a higher schema version of `flows`) is refused by
  /// the writer with a line naming both versions, and still read.
  @Test func writerRefusesANewerSchema() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try FlowStore(directory: dir).close()
    try Catalog(path: dir + "/catalog.db", create: false).db.execute(
      "UPDATE tables SET schema_version = \(FlowSchema.version + 1) WHERE name = 'flows'")
    do {
      _ = try FlowStore(directory: dir)
      Issue.record("a newer schema was opened for writing")
    } catch {
      #expect(
        error.description.contains(
          "schema version \(FlowSchema.version + 1), newer than this flowstore's \(FlowSchema.version)"
        ), "\(error)")
    }
    #expect(try StoreReader(directory: dir).info().first?.schemaVersion == FlowSchema.version + 1)
  }
}
