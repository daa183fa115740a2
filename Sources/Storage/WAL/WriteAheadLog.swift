#if canImport(Glibc)
  import Glibc
#endif

/// The write-ahead log: append-only files of checksummed entries, one appended batch each.
///
/// Entry layout: magic u32 (`WAL1`), payload length u32, sequence number u64, checksum u64
/// (``checksum64(_:)`` of the payload, mixed with the sequence number), payload
/// (``BatchCodec``). Files are named by the sequence number of their first entry, in hex.
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

  /// Opens the log for appending, starting a new file whose first entry is `nextSequence`.
  init(directory: String, fs: any FileSystem, nextSequence: UInt64) throws(StorageError) {
    self.directory = directory
    self.fs = fs
    self.nextSequence = nextSequence
    try fs.makeDirectory(directory)
    try startFile()
  }

  deinit { if fd >= 0 { fs.close(fd) } }

  static func fileName(_ seq: UInt64) -> String {
    let hex = String(seq, radix: 16)
    return String(repeating: "0", count: max(0, 16 - hex.count)) + hex + ".wal"
  }

  func startFile() throws(StorageError) {
    if fd >= 0 {
      try fs.fsync(fd, path: currentFile)
      fs.close(fd)
      fd = -1
    }
    currentFile = directory + "/" + WriteAheadLog.fileName(nextSequence)
    fd = try fs.open(currentFile, flags: O_WRONLY | O_CREAT | O_APPEND, mode: 0o644)
    length = fs.size(currentFile) ?? 0
    try fs.syncDirectory(directory)
  }

  /// Appends one batch; returns its sequence number. On a failed write the file is cut back to
  /// its last whole entry, so a later append starts clean.
  func append(_ batch: ColumnBatch) throws(StorageError) -> UInt64 {
    var w = ByteWriter(capacity: batch.rowCount * 48 + 64)
    w.u32(WriteAheadLog.magic)
    w.u32(0)
    w.u64(nextSequence)
    w.u64(0)
    BatchCodec.encode(batch, into: &w)
    let payload = w.bytes.count - WriteAheadLog.headerSize
    let sum = w.bytes.withUnsafeBytes {
      checksum64(UnsafeRawBufferPointer(rebasing: $0[WriteAheadLog.headerSize...]))
    }
    w.bytes.withUnsafeMutableBytes {
      $0.storeBytes(of: UInt32(payload).littleEndian, toByteOffset: 4, as: UInt32.self)
      $0.storeBytes(
        of: (sum ^ nextSequence &* 0x9E37_79B9_7F4A_7C15).littleEndian, toByteOffset: 16,
        as: UInt64.self)
    }
    do throws(StorageError) {
      try w.bytes.withUnsafeBytes { b in
        Result { () throws(StorageError) in try fs.write(fd, b, path: currentFile) }
      }.get()
    } catch {
      try? fs.truncate(fd, length: length, path: currentFile)
      throw error
    }
    length += w.bytes.count
    unsynced = true
    defer { nextSequence += 1 }
    return nextSequence
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
