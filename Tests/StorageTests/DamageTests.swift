import Foundation
import TestSupport
import Testing

@testable import Storage

/// Damaged WAL files and catalogs, as the corruption campaign (Tests/Campaign/corruption.py)
/// found them: before these checks a flipped byte in a WAL entry silently dropped that entry and
/// every one after it (for readers, and for good once `serve` restarted and cut the file), and a
/// missing catalog made the store delete every segment as unknown.
@Suite struct DamageTests {
  /// A store (no background work) in `dir` holding three appended batches of `rows` rows in its
  /// WAL, left unsealed as a crash leaves it. Returns the WAL file and each entry's byte offset.
  static func walStore(_ dir: String, rows: Int = 300) throws -> (file: String, offsets: [Int]) {
    var o = StoreOptions()
    o.backgroundTimer = false
    o.sealRows = 1 << 30
    let store = try FlowStore(directory: dir, options: o)
    for k in 0..<3 {
      try store.append(
        randomFlows(rows: rows, seed: UInt64(k), start: 1_795_737_600_000 + Int64(k)))
    }
    try store.sync()
    let wal = dir + "/wal"
    let name = try #require(try FileManager.default.contentsOfDirectory(atPath: wal).sorted().last)
    let bytes = try PosixFileSystem().readFile(wal + "/" + name)
    var offsets: [Int] = []
    var at = 0
    while at + WriteAheadLog.headerSize <= bytes.count,
      let len = bytes.withUnsafeBytes({ WriteAheadLog.validEntry($0, at: at) })
    {
      offsets.append(at)
      at += WriteAheadLog.headerSize + len
    }
    #expect(offsets.count == 3)
    return (wal + "/" + name, offsets)
  }

  /// A closed store of 500 sealed rows in `dir`, released on return (SQLite then moves its WAL
  /// into catalog.db).
  static func sealedStore(_ dir: String) throws {
    var o = StoreOptions()
    o.backgroundTimer = false
    let store = try FlowStore(directory: dir, options: o)
    try store.append(randomFlows(rows: 500, seed: 9))
    try store.close()
  }

  static func flip(_ path: String, at offset: Int) throws {
    let h = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? h.close() }
    try h.seek(toOffset: UInt64(offset))
    let b = try #require(try h.read(upToCount: 1)?.first)
    try h.seek(toOffset: UInt64(offset))
    try h.write(contentsOf: Data([b ^ 0x5A]))
  }

  static func rowCount(_ dir: String) throws -> Int {
    let reader = try StoreReader(directory: dir)
    return try reader.snapshot(table: "flows").units.reduce(0) { $0 + $1.rowCount }
  }

  /// A flip in the first of three entries: readers and the writer report the file and the byte
  /// instead of returning (or keeping) only what precedes it.
  @Test func damageBeforeTheLastEntryIsReported() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let (file, offsets) = try Self.walStore(dir)
    try Self.flip(file, at: offsets[0] + WriteAheadLog.headerSize + 10)
    #expect(throws: StorageError.self) { _ = try Self.rowCount(dir) }
    do {
      _ = try FlowStore(directory: dir)
      Issue.record("the writer opened a store whose WAL is damaged")
    } catch {
      guard case .corrupt(let f, _, _, let reason) = error else {
        Issue.record("expected corrupt, got \(error)")
        return
      }
      #expect(f == file)
      #expect(reason.contains("at byte \(offsets[0])"))
      #expect(error.description.hasPrefix("corrupt WAL file"))
    }
    // Nothing was cut: the file still holds all three entries.
    #expect((PosixFileSystem().size(file) ?? 0) > offsets[2])
  }

  /// A damaged length field: the entry's end is unknown, but a valid entry further on shows the
  /// file was damaged, not torn.
  @Test func damagedLengthIsNotTakenForATornEnd() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let (file, offsets) = try Self.walStore(dir)
    try Self.flip(file, at: offsets[1] + 6)
    #expect(throws: StorageError.self) { _ = try FlowStore(directory: dir) }
  }

  /// A flip in the last entry: readers report it; the writer cuts it off and says so, as it does
  /// for an append a crash interrupted.
  @Test func damagedLastEntryIsReportedThenCutWithANote() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let (file, offsets) = try Self.walStore(dir, rows: 200)
    try Self.flip(file, at: offsets[2] + WriteAheadLog.headerSize + 40)
    do {
      _ = try Self.rowCount(dir)
      Issue.record("a reader returned rows without the damaged last entry's")
    } catch {
      #expect("\(error)".contains(file))
    }
    let store = try FlowStore(directory: dir)
    #expect(store.recoveryNotes.count == 1)
    #expect(store.recoveryNotes.first?.contains("fails its checksum") == true)
    #expect(store.unsealedRows == 400)
    try store.close()
    #expect(try Self.rowCount(dir) == 400)
  }

  /// An incomplete last entry (an append cut short) is not damage: readers skip it.
  @Test func incompleteLastEntryIsAnAppendUnderWay() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let (file, offsets) = try Self.walStore(dir, rows: 200)
    let fd = open(file, O_WRONLY)
    #expect(ftruncate(fd, off_t(offsets[2] + 100)) == 0)
    close(fd)
    #expect(try Self.rowCount(dir) == 400)
    let store = try FlowStore(directory: dir)
    #expect(store.recoveryNotes.first?.contains("incomplete last entry") == true)
    try store.close()
  }

  /// With the catalog gone and segments present, the writer refuses instead of creating a new
  /// catalog and deleting every segment it does not name.
  @Test func missingCatalogIsRefusedWhenSegmentsExist() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try Self.sealedStore(dir)
    let segments = try FileManager.default.contentsOfDirectory(atPath: dir + "/segments")
    #expect(!segments.isEmpty)
    try FileManager.default.removeItem(atPath: dir + "/catalog.db")
    #expect(throws: StorageError.self) { _ = try FlowStore(directory: dir) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/segments") == segments)
  }

  /// A catalog whose pages are damaged fails the writer's check, naming the file.
  @Test func damagedCatalogIsRefused() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try Self.sealedStore(dir)
    let catalog = dir + "/catalog.db"
    #expect((PosixFileSystem().size(catalog + "-wal") ?? 0) == 0)
    let size = try #require(PosixFileSystem().size(catalog))
    // The b-tree page headers after the file header (page 1's at byte 100), and every page's
    // middle, get garbage.
    #expect(size >= 4096)
    for page in stride(from: 0, to: size, by: 4096) {
      for k in 0..<16 { try Self.flip(catalog, at: page + (page == 0 ? 100 : 0) + k) }
    }
    do {
      _ = try FlowStore(directory: dir)
      Issue.record("the writer opened a damaged catalog")
    } catch {
      #expect(error.description.contains(catalog))
    }
  }
}

extension DamageTests {
  /// A flipped letter in a column's name in the catalog made queries fail with "unknown column
  /// 'packets'" (found by the corruption campaign); it is now reported as a damaged catalog.
  @Test func damagedColumnNameIsReportedAsCatalogDamage() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try Self.sealedStore(dir)
    let db = try SQLiteDatabase(path: dir + "/catalog.db", create: false)
    try db.execute("UPDATE columns SET name = 'pacKets' WHERE name = 'packets'")
    do {
      _ = try StoreReader(directory: dir).tableSchemas()
      Issue.record("a damaged column name was taken as the schema")
    } catch {
      #expect("\(error)".contains("catalog.db"))
      #expect("\(error)".contains("'pacKets'"))
    }
    try db.execute("UPDATE columns SET name = 'packets' WHERE name = 'pacKets'")
    try db.execute("UPDATE tables SET name = 'flowz'")
    #expect(throws: StorageError.self) { _ = try StoreReader(directory: dir).tableSchemas() }
  }
}

extension DamageTests {
  /// A flipped byte in a segment's file name in the catalog (it passes `quick_check`) made
  /// `serve` delete the real segment as a file no catalog row names, and its rows with it (found
  /// by the corruption campaign). The writer now refuses, and deletes nothing.
  @Test func catalogNamingAMissingSegmentIsRefused() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try Self.sealedStore(dir)
    let segments = try FileManager.default.contentsOfDirectory(atPath: dir + "/segments")
    let name = try #require(segments.sorted().first)
    do {
      let db = try SQLiteDatabase(path: dir + "/catalog.db", create: false)
      try db.execute("UPDATE segments SET file = 'x' || file")
    }
    do {
      _ = try FlowStore(directory: dir)
      Issue.record("the writer opened a catalog naming a segment that does not exist")
    } catch {
      #expect("\(error)".contains("names segment x\(name)"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/segments") == segments)
  }
}

extension DamageTests {
  /// A flipped letter in a column of a table's definition (it passes `quick_check`) made every
  /// statement on that table fail with "no such column: bytes", without naming the catalog, and
  /// `serve` ran on over it (found by the corruption campaign). The writer now refuses it.
  @Test func damagedTableDefinitionIsRefused() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    try Self.sealedStore(dir)
    do {
      let db = try SQLiteDatabase(path: dir + "/catalog.db", create: false)
      try db.execute("ALTER TABLE segments RENAME COLUMN bytes TO bytez")
    }
    do {
      _ = try FlowStore(directory: dir)
      Issue.record("the writer opened a catalog whose segments table is defined otherwise")
    } catch {
      #expect("\(error)".contains("catalog.db"))
      #expect("\(error)".contains("definition of segments"))
    }
    // Readers name the catalog in what they report.
    #expect(throws: StorageError.self) {
      _ = try StoreReader(directory: dir).snapshot(table: "flows")
    }
    do {
      _ = try StoreReader(directory: dir).snapshot(table: "flows")
    } catch {
      #expect("\(error)".contains("catalog.db"))
    }
  }
}
