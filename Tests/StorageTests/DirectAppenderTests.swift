import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Storage

/// One file in memory that holds ``DirectAppender`` to the rules of Linux's `O_DIRECT`: every
/// write's buffer address, file offset and length are multiples of the block size, or it fails
/// with EINVAL as the kernel does. The `failAt` write (counting from 0) is torn: its first half
/// lands, then it fails.
final class DirectRulesFileSystem: FileSystem {
  let file = Mutex<[UInt8]>([])
  let writes = Mutex(0)
  let failAt = Mutex<Int?>(nil)

  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
    throws(StorageError)
  {
    let b = DirectAppender.block
    guard Int(bitPattern: bytes.baseAddress) % b == 0, offset % b == 0, bytes.count % b == 0
    else { throw .system(operation: "write", path: path, errno: .invalid) }
    let k = writes.withLock { n in
      defer { n += 1 }
      return n
    }
    let torn = failAt.withLock { $0 } == k
    let count = torn ? (bytes.count / 2) & ~(b - 1) : bytes.count
    file.withLock { f in
      if f.count < offset + count { f += [UInt8](repeating: 0, count: offset + count - f.count) }
      for i in 0..<count { f[offset + i] = bytes[i] }
    }
    if torn { throw .system(operation: "write", path: path, errno: .noSpace) }
  }
  func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String)
    throws(StorageError) -> Int
  {
    let b = DirectAppender.block
    guard Int(bitPattern: buffer.baseAddress) % b == 0, offset % b == 0, buffer.count % b == 0
    else { throw .system(operation: "read", path: path, errno: .invalid) }
    return file.withLock { f in
      let n = max(0, min(buffer.count, f.count - offset))
      for i in 0..<n { buffer[i] = f[offset + i] }
      return n
    }
  }
  func truncate(_ fd: Int32, length: Int, path: String) throws(StorageError) {
    file.withLock { f in
      f =
        length <= f.count ? Array(f[..<length]) : f + [UInt8](repeating: 0, count: length - f.count)
    }
  }
  func openDirect(_ path: String) throws(StorageError) -> Int32? { 3 }
  func size(_ path: String) -> Int? { file.withLock { $0.count } }
  func close(_ fd: Int32) {}
  // Not used by the appender.
  func open(_ path: String, flags: Int32, mode: UInt32) throws(StorageError) -> Int32 {
    throw .system(operation: "open", path: path, errno: .invalid)
  }
  func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
    throw .system(operation: "write", path: path, errno: .invalid)
  }
  func fsync(_ fd: Int32, path: String) throws(StorageError) {}
  func rename(_ from: String, _ to: String) throws(StorageError) {}
  func unlink(_ path: String) throws(StorageError) {}
  func makeDirectory(_ path: String) throws(StorageError) {}
  func list(_ path: String) throws(StorageError) -> [String] { [] }
}

@Suite struct DirectAppenderTests {
  /// Random appends (empty pieces, pieces of a few bytes, pieces past the staging buffer's
  /// size) keep the file equal to their concatenation, followed by zeros to the next block;
  /// every write obeys the direct I/O rules (the double refuses any other).
  @Test func fileIsTheConcatenationPadded() throws {
    var rng = SplitMix(seed: 11)
    let fs = DirectRulesFileSystem()
    let appender = try DirectAppender(fs: fs, fd: 3, path: "x.wal", length: 0)
    var expected: [UInt8] = []
    for _ in 0..<40 {
      let pieces = (0..<Int.random(in: 1...4, using: &rng)).map { _ -> [UInt8] in
        let n = [0, 1, 7, 4095, 4096, 5000, 70_000, DirectAppender.capacity + 123]
          .randomElement(using: &rng)!
        return (0..<n).map { _ in UInt8.random(in: 1...255, using: &rng) }
      }
      try withBuffers(pieces) { try appender.append($0) }
      expected += pieces.joined()
      let file = fs.file.withLock { $0 }
      #expect(appender.length == expected.count)
      #expect(Array(file.prefix(expected.count)) == expected)
      #expect(file.count % DirectAppender.block == 0)
      #expect(file.count - expected.count < DirectAppender.block)
      #expect(file[expected.count...].allSatisfy { $0 == 0 })
    }
  }

  /// `finish` sees the record just as it will be written, contiguous, and what it changes is
  /// what lands in the file.
  @Test func finishSeesAndChangesTheRecord() throws {
    let fs = DirectRulesFileSystem()
    let appender = try DirectAppender(fs: fs, fd: 3, path: "x.wal", length: 0)
    let pieces: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 9, count: 5000), [4]]
    var seen: [UInt8] = []
    try withBuffers(pieces) {
      try appender.append($0) { record in
        seen = Array(record)
        record[0] = 0xEE
      }
    }
    #expect(seen == Array(pieces.joined()))
    let file = fs.file.withLock { $0 }
    #expect(Array(file.prefix(seen.count)) == [0xEE] + seen.dropFirst())
  }

  /// A write that fails half way leaves the logical length where it was; cut back to it as the
  /// WAL does, the next append carries on from there, and a new appender over the same file
  /// (a restart) continues after the last byte.
  @Test func failedWriteAndReopen() throws {
    var rng = SplitMix(seed: 12)
    let fs = DirectRulesFileSystem()
    let appender = try DirectAppender(fs: fs, fd: 3, path: "x.wal", length: 0)
    var expected: [UInt8] = []
    func piece(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 1...255, using: &rng) } }
    let first = piece(10_000)
    try withBuffers([first]) { try appender.append($0) }
    expected += first
    fs.failAt.withLock { $0 = fs.writes.withLock { $0 } }
    #expect(throws: StorageError.self) {
      try withBuffers([piece(3 * DirectAppender.capacity)]) { try appender.append($0) }
    }
    #expect(appender.length == expected.count)
    try fs.truncate(3, length: appender.length, path: "x.wal")
    let second = piece(3000)
    try withBuffers([second]) { try appender.append($0) }
    expected += second
    let reopened = try DirectAppender(fs: fs, fd: 3, path: "x.wal", length: expected.count)
    let third = piece(9000)
    try withBuffers([third]) { try reopened.append($0) }
    expected += third
    let file = fs.file.withLock { $0 }
    #expect(Array(file.prefix(expected.count)) == expected)
    #expect(file[expected.count...].allSatisfy { $0 == 0 })
  }

  /// Where the file system has no direct I/O (``FileSystem/openDirect(_:)`` gives nil), or the
  /// store's option turns it off, the WAL writes through the page cache: the file is exactly its
  /// entries and replays whole. Otherwise the file is the same entries followed by zeros to a
  /// block, and replays the same.
  @Test(arguments: [(false, true), (true, false), (true, true)])
  func walWithAndWithoutDirectIO(fsOffers: Bool, optionOn: Bool) throws {
    let direct = fsOffers && optionOn
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = FailingFileSystem()
    fs.direct.withLock { $0 = fsOffers }
    let wal = try WriteAheadLog(directory: dir, fs: fs, nextSequence: 1, direct: optionOn)
    let batches = [randomFlows(rows: 300, seed: 13), randomFlows(rows: 7, seed: 14)]
    for b in batches { _ = try wal.append(b) }
    let size = try #require(fs.size(wal.currentFile))
    let probe = try PosixFileSystem().openDirect(dir + "/probe")
    if let probe { PosixFileSystem().close(probe) }
    if direct && probe != nil {
      #expect(size % DirectAppender.block == 0 && size - wal.length < DirectAppender.block)
    } else {
      #expect(size == wal.length)
    }
    #expect(try expectReplay(dir, fs, holds: batches) == [1, 2])
  }

  /// A file system that opens for direct I/O but refuses the writes (EINVAL): the WAL goes on
  /// through the page cache with the same file, and nothing appended is lost.
  @Test func refusedDirectWritesFallBack() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = FailingFileSystem()
    fs.rejectDirectWrites.withLock { $0 = true }
    let wal = try WriteAheadLog(directory: dir, fs: fs, nextSequence: 1, direct: true)
    let batches = [randomFlows(rows: 300, seed: 15), randomFlows(rows: 40, seed: 16)]
    for b in batches { _ = try wal.append(b) }
    #expect(fs.size(wal.currentFile) == wal.length)
    // The next file (after a seal) is written through the page cache from the start.
    try wal.startFile()
    let more = randomFlows(rows: 50, seed: 17)
    _ = try wal.append(more)
    #expect(fs.size(wal.currentFile) == wal.length)
    try expectReplay(dir, fs, holds: batches + [more])
  }

  /// Replays the WAL in `dir` and checks that it holds exactly the rows of `batches`, in order,
  /// with no torn file; returns the entries' sequence numbers.
  @discardableResult
  private func expectReplay(
    _ dir: String, _ fs: any FileSystem, holds batches: [ColumnBatch],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [UInt64] {
    let replay = try WriteAheadLog.replay(
      directory: dir, fs: fs, after: 0, schemas: ["flows": FlowSchema.flows])
    #expect(
      replay.entries.map { rowsOf($0.batch) } == batches.map(rowsOf),
      sourceLocation: sourceLocation)
    #expect(replay.tornFiles.isEmpty, sourceLocation: sourceLocation)
    return replay.entries.map(\.sequence)
  }

  private func withBuffers(
    _ pieces: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws -> Void
  ) throws {
    var pointers: [UnsafeRawBufferPointer] = []
    var copies: [UnsafeMutableRawBufferPointer] = []
    defer { copies.forEach { $0.deallocate() } }
    for p in pieces {
      let c = UnsafeMutableRawBufferPointer.allocate(byteCount: p.count, alignment: 1)
      c.copyBytes(from: p)
      copies.append(c)
      pointers.append(UnsafeRawBufferPointer(c))
    }
    try body(pointers)
  }
}
