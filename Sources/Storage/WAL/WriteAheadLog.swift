#if canImport(Glibc)
  import Glibc
#endif

/// The write-ahead log: append-only files of checksummed entries, one appended batch each.
///
/// Entry layout: magic u32 (`WAL1`, or `WALB` for encoded blocks), payload length u32, sequence
/// number u64, checksum u64 (``checksum64(_:)`` of the payload, mixed with the sequence number),
/// payload (``BatchCodec``, or ``BlockEntry``). Files are named by the sequence number of their first entry, in hex.
final class WriteAheadLog {
  static let magic: UInt32 = 0x314C_4157
  static let headerSize = 24

  let directory: String
  let fs: any FileSystem
  private(set) var fd: Int32 = -1
  private(set) var currentFile = ""
  private(set) var length = 0
  private(set) var nextSequence: UInt64
  private(set) var unsynced = false

  /// Whether files are opened for direct I/O when the file system allows it.
  let useDirectIO: Bool

  /// Opens the log for appending, starting a new file whose first entry is `nextSequence`;
  /// `direct` asks for direct I/O (``DirectAppender``) where the file system offers it.
  init(directory: String, fs: any FileSystem, nextSequence: UInt64, direct: Bool = false)
    throws(StorageError)
  {
    self.directory = directory
    self.fs = fs
    self.nextSequence = nextSequence
    useDirectIO = direct
    try fs.makeDirectory(directory)
    try startFile()
  }

  deinit { if fd >= 0 { fs.close(fd) } }

  static func fileName(_ seq: UInt64) -> String {
    let hex = String(seq, radix: 16)
    return String(repeating: "0", count: max(0, 16 - hex.count)) + hex + ".wal"
  }

  /// Switches to a new file whose first entry is `nextSequence`. The old file is fsynced first
  /// unless `syncingOld` is false: after a seal every entry it holds is sealed, and it is about
  /// to be deleted, so flushing it (hundreds of MB) would only cost time.
  func startFile(syncingOld: Bool = true) throws(StorageError) {
    if fd >= 0 {
      if syncingOld && unsynced { try fs.fsync(fd, path: currentFile) }
      unsynced = false
      fs.close(fd)
      fd = -1
    }
    currentFile = directory + "/" + WriteAheadLog.fileName(nextSequence)
    if useDirectIO && !directRefused, let d = try fs.openDirect(currentFile) {
      fd = d
      // A file of this name holds no entry above the checkpoint (its first would be
      // `nextSequence`), so whatever it holds is dropped.
      do throws(StorageError) {
        if (fs.size(currentFile) ?? 0) > 0 { try fs.truncate(d, length: 0, path: currentFile) }
        if let direct {
          try direct.switchFile(fd: d, path: currentFile, length: 0)
        } else {
          direct = try DirectAppender(fs: fs, fd: d, path: currentFile, length: 0)
        }
      } catch {
        direct = nil
        fs.close(d)
        fd = -1
        throw error
      }
      length = 0
    } else {
      direct = nil
      fd = try fs.open(currentFile, flags: O_WRONLY | O_CREAT | O_APPEND, mode: fs.modes.file)
      length = fs.size(currentFile) ?? 0
    }
    try fs.syncDirectory(directory)
  }

  /// Writes entries straight to the device when the file system allows it
  /// (``FileSystem/openDirect(_:)``): the copy into the page cache was most of the log's cost,
  /// and the pages would be written out by the next fsync anyway.
  private var direct: DirectAppender?
  /// Set once the file system refused a direct write.
  private var directRefused = false

  /// The entry header, batch head, column flags and strings of the entry being written; kept
  /// between appends so its buffer is reused.
  private var meta = ByteWriter()
  /// The pieces of the entry being written (``BatchCodec/layout(_:meta:pieces:)``), reused.
  private var pieces: [BatchCodec.Piece] = []

  /// Appends one batch; returns its sequence number. On a failed write the file is cut back to
  /// its last whole entry, so a later append starts clean.
  ///
  /// The entry is described as buffers: the header and small parts from a reused side buffer,
  /// the validity words and fixed-width values straight from the column arrays. With direct
  /// I/O they are staged by the ``DirectAppender`` and checksummed there; otherwise the checksum
  /// is computed over them in place (``ChecksumStream``) and they go out in one `writev(2)`.
  func append(_ batch: ColumnBatch) throws(StorageError) -> UInt64 {
    try appendEntry { () throws(StorageError) in try write(batch) }
  }

  /// Appends one entry of rows encoded already (``BlockEntry``): `blocks`, of `rows[k]` rows
  /// each, of a table with `schema`. Returns its sequence number; fails as ``append(_:)`` does.
  func append(blocks: [SegmentWriter.EncodedBlock], rows: [Int], schema: TableSchema)
    throws(StorageError) -> UInt64
  {
    try appendEntry { () throws(StorageError) in
      try write(blocks: blocks, rows: rows, schema: schema)
    }
  }

  /// Runs `write` (which writes one entry at the end of the current file and returns its size)
  /// and numbers the entry; cuts the file back after a failure, and goes on through the page
  /// cache when the file system refuses direct writes.
  private func appendEntry(_ write: () throws(StorageError) -> Int) throws(StorageError) -> UInt64 {
    let written: Int
    do throws(StorageError) {
      written = try write()
    } catch {
      try? fs.truncate(fd, length: length, path: currentFile)
      guard direct != nil, case .system(_, _, .invalid) = error else { throw error }
      // The file system took the direct open but refuses direct writes (an alignment it
      // needs that is not ours): go on through the page cache.
      do throws(StorageError) {
        try writeThroughPageCache()
        written = try write()
      } catch {
        try? fs.truncate(fd, length: length, path: currentFile)
        throw error
      }
    }
    length += written
    unsynced = true
    defer { nextSequence += 1 }
    return nextSequence
  }

  /// Reopens the current file for buffered appends, after a refused direct write; later files
  /// are not opened for direct I/O either.
  private func writeThroughPageCache() throws(StorageError) {
    direct = nil
    directRefused = true
    fs.close(fd)
    fd = -1
    fd = try fs.open(currentFile, flags: O_WRONLY | O_APPEND, mode: fs.modes.file)
  }

  /// Writes one entry holding `batch` at the end of the current file; returns its size.
  private func write(_ batch: ColumnBatch) throws(StorageError) -> Int {
    startEntry(magic: WriteAheadLog.magic)
    BatchCodec.layout(batch, meta: &meta, pieces: &pieces)
    let pieces = self.pieces
    return try meta.bytes.withUnsafeMutableBytes { m in
      Result { () throws(StorageError) -> Int in
        try BatchCodec.withBuffers(batch, meta: UnsafeRawBufferPointer(m), pieces: pieces) {
          (buffers) throws(StorageError) -> Int in
          try writeEntry(header: m, buffers: buffers)
        }
      }
    }.get()
  }

  /// Writes one entry of encoded blocks (``BlockEntry``); returns its size.
  private func write(blocks: [SegmentWriter.EncodedBlock], rows: [Int], schema: TableSchema)
    throws(StorageError) -> Int
  {
    startEntry(magic: BlockEntry.magic)
    meta.append(BlockEntry.head(blocks, rows: rows, schema: schema))
    let datas = blocks.map(\.bytes)
    return try meta.bytes.withUnsafeMutableBytes { m in
      Self.withBytes(datas[...], [UnsafeRawBufferPointer(m)]) { buffers in
        Result { () throws(StorageError) -> Int in try writeEntry(header: m, buffers: buffers) }
      }
    }.get()
  }

  /// Calls `body` with the bytes of every array of `arrays` after `pinned`, in order.
  private static func withBytes<R>(
    _ arrays: ArraySlice<[UInt8]>, _ pinned: [UnsafeRawBufferPointer],
    _ body: ([UnsafeRawBufferPointer]) -> R
  ) -> R {
    guard let first = arrays.first else { return body(pinned) }
    return first.withUnsafeBytes { withBytes(arrays.dropFirst(), pinned + [$0], body) }
  }

  /// Starts the side buffer with the header of the next entry (length and checksum filled in
  /// by ``writeEntry(header:buffers:)``).
  private func startEntry(magic: UInt32) {
    meta.bytes.removeAll(keepingCapacity: true)
    pieces.removeAll(keepingCapacity: true)
    meta.u32(magic)
    meta.u32(0)
    meta.u64(nextSequence)
    meta.u64(0)
  }

  /// Checksums and writes one entry made of `buffers` (the first starting with the header,
  /// `header`, in the side buffer); returns its size.
  private func writeEntry(header: UnsafeMutableRawBufferPointer, buffers: [UnsafeRawBufferPointer])
    throws(StorageError) -> Int
  {
    let total = buffers.reduce(0) { $0 + $1.count }
    let payload = total - WriteAheadLog.headerSize
    let mix = nextSequence &* 0x9E37_79B9_7F4A_7C15
    if let direct {
      // The checksum reads the staged copy, still in cache, instead of the sources.
      try direct.append(buffers) { entry in
        let sum = checksum64(UnsafeRawBufferPointer(rebasing: entry[WriteAheadLog.headerSize...]))
        WriteAheadLog.fillHeader(entry, payload: payload, checksum: sum ^ mix)
      }
      return total
    }
    var sum = ChecksumStream(total: payload)
    for (k, b) in buffers.enumerated() {
      sum.update(k == 0 ? UnsafeRawBufferPointer(rebasing: b[WriteAheadLog.headerSize...]) : b)
    }
    WriteAheadLog.fillHeader(header, payload: payload, checksum: sum.finish() ^ mix)
    try fs.writev(fd, buffers, path: currentFile)
    return total
  }

  /// Stores the payload length and checksum into the entry header at the start of `entry`.
  static func fillHeader(_ entry: UnsafeMutableRawBufferPointer, payload: Int, checksum: UInt64) {
    entry.storeBytes(of: UInt32(payload).littleEndian, toByteOffset: 4, as: UInt32.self)
    entry.storeBytes(of: checksum.littleEndian, toByteOffset: 16, as: UInt64.self)
  }

  /// Makes every appended entry durable.
  func sync() throws(StorageError) {
    guard unsynced else { return }
    try fs.fsync(fd, path: currentFile)
    unsynced = false
  }

  /// Deletes every log file but the current one (their entries are all sealed).
  func removeSealedFiles() throws(StorageError) {
    for name in try fs.list(directory) where name.hasSuffix(".wal") {
      let path = directory + "/" + name
      if path != currentFile { try fs.unlink(path) }
    }
  }
}
