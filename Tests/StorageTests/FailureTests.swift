import Foundation
import TestSupport
import Testing

@testable import Storage

@Suite struct FailureTests {
  func options(_ fs: any FileSystem = PosixFileSystem()) -> StoreOptions {
    var o = StoreOptions()
    o.backgroundTimer = false
    o.blockRows = 500
    o.fileSystem = fs
    return o
  }

  /// Disk full while sealing: the error is reported, nothing stored is lost, no partial file is
  /// left, and sealing succeeds once space returns.
  @Test func diskFullWhileSealing() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = FailingFileSystem()
    let store = try FlowStore(directory: dir, options: options(fs))
    let a = randomFlows(rows: 3000, seed: 21)
    try store.append(a)
    fs.failWrites(matching: "/segments/", tornWrite: true)
    #expect(throws: StorageError.self) { try store.seal() }
    do {
      try store.seal()
      Issue.record("seal should fail while the disk is full")
    } catch {
      #expect(error.isDiskFull)
      #expect(error.description.contains("no space left on device"))
    }
    #expect(store.unsealedRows == 3000)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/segments").isEmpty)
    #expect(
      try rowsOf(StoreReader(directory: dir).snapshot(table: "flows")).sorted()
        == rowsOf(a).sorted())
    // Space returns: ingest resumes and the seal goes through, every row exactly once.
    fs.failWrites(matching: nil)
    let b = randomFlows(rows: 1000, seed: 22)
    try store.append(b)
    try store.seal()
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(snap.units.allSatisfy { $0.segment != "memory" })
    #expect(try rowsOf(snap).sorted() == (rowsOf(a) + rowsOf(b)).sorted())
  }

  /// A WAL write that fails half way leaves no torn entry behind: later appends and a replay
  /// see exactly the acknowledged batches (with and without direct I/O).
  @Test(arguments: [false, true]) func diskFullInWAL(direct: Bool) throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = FailingFileSystem()
    let a = randomFlows(rows: 200, seed: 31)
    let b = randomFlows(rows: 200, seed: 32)
    do {
      var o = options(fs)
      o.walDirectIO = direct
      let store = try FlowStore(directory: dir, options: o)
      try store.append(a)
      fs.failWrites(matching: ".wal", tornWrite: true)
      #expect(throws: StorageError.self) { try store.append(randomFlows(rows: 200, seed: 33)) }
      fs.failWrites(matching: nil)
      try store.append(b)
    }
    let store = try FlowStore(directory: dir, options: options())
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    #expect(try rowsOf(snap).sorted() == (rowsOf(a) + rowsOf(b)).sorted())
  }

  /// A flipped bit inside a segment is caught by the checksum and reported with file, column
  /// and block; other blocks still read.
  @Test func flippedBitIsReported() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    var o = options()
    o.partitionMilliseconds = 100 * 86_400_000
    let store = try FlowStore(directory: dir, options: o)
    try store.append(randomFlows(rows: 2000, seed: 41))
    try store.close()
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir + "/segments").first)
    let path = dir + "/segments/" + file
    let seg = try SegmentReader(path: path, schema: FlowSchema.flows)
    let column = try #require(FlowSchema.flows.index(of: "bytes"))
    let chunk = seg.footer.blocks[2].chunks[column]
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data[Int(chunk.offset) + Int(chunk.storedLength) / 2] ^= 0x10
    try data.write(to: URL(fileURLWithPath: path))

    let reader = try StoreReader(directory: dir)
    let problems = try reader.verify(table: "flows")
    #expect(problems.count == 1)
    #expect(
      problems.first?.description
        == "corrupt segment \(path), column bytes, block 2: checksum mismatch")
    let snap = try reader.snapshot(table: "flows")
    #expect(throws: StorageError.self) { _ = try snap.units[2].read(columns: [column]) }
    #expect(try snap.units[1].read(columns: [column]).first?.count == 500)
    #expect(try snap.units[2].read(columns: [0]).first?.count == 500)
  }

  /// A damaged footer makes the segment unreadable; `skipCorrupt` reads the others and says
  /// what it skipped.
  @Test func skipCorruptSegments() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let store = try FlowStore(directory: dir, options: options())
    try store.append(randomFlows(rows: 2400, seed: 51))
    try store.close()
    let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/segments").sorted()
    let path = dir + "/segments/" + files[0]
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data[data.count - 40] ^= 1
    try data.write(to: URL(fileURLWithPath: path))
    let strict = try StoreReader(directory: dir)
    #expect(throws: StorageError.self) { _ = try strict.snapshot(table: "flows") }
    let lenient = try StoreReader(directory: dir, skipCorrupt: true)
    let snap = try lenient.snapshot(table: "flows")
    #expect(snap.keptSegments == files.count - 1)
    #expect(lenient.skipped.count == 1)
    #expect(lenient.skipped[0].contains(files[0]))
  }
}
