#if canImport(Glibc)
  import Glibc
#endif

/// A consistent copy of a data directory, taken while a writer (`flowstore serve`) may append,
/// seal and drop segments in it.
///
/// The copy is what the directory would hold after a crash at one moment: the catalog as of one
/// transaction (SQLite's `VACUUM INTO`, which reads one snapshot), the sealed segments that
/// catalog names (immutable once named), and the WAL files, whose entries past the catalog's
/// checkpoint hold the rows not yet sealed (a copy may end in a torn entry, which a reader stops
/// at and a writer cuts off, as after a crash). A seal that commits during the copy deletes WAL
/// files whose rows the copied catalog does not name yet; retention may delete a named segment.
/// Either shows as a changed checkpoint or a missing segment, and the copy starts over.
public enum StoreBackup {
  /// What a backup copied.
  public struct Summary: Sendable, Equatable {
    /// Segment files copied.
    public var segments = 0
    /// WAL files copied.
    public var walFiles = 0
    /// Bytes copied (catalog, segments, WAL).
    public var bytes = 0
    /// Copies started (more than 1 when the writer sealed or dropped segments meanwhile).
    public var attempts = 0
  }

  /// Copies the store in `source` into `destination` (created, 0700; it must not exist or be
  /// empty), starting over while the writer changes the checkpoint under the copy.
  ///
  /// - Throws: ``StorageError/notAStore(_:)`` when `source` holds no catalog;
  ///   ``StorageError/system(operation:path:errno:)`` with `EEXIST` when `destination` holds
  ///   files, or for a failed read or write (disk full); ``StorageError/catalog(_:)`` when the
  ///   catalog cannot be read, or when `attempts` copies in a row were overtaken by seals.
  public static func copy(
    from source: String, to destination: String, attempts: Int = 20,
    fileSystem fs: any FileSystem = PosixFileSystem()
  ) throws(StorageError) -> Summary {
    let from = StoreLayout(root: source)
    let to = StoreLayout(root: destination)
    guard fs.size(from.catalog) != nil else { throw .notAStore(source) }
    if fs.size(destination) != nil, !(try fs.list(destination)).isEmpty {
      throw .system(operation: "backup into", path: destination, errno: Errno(EEXIST))
    }
    let catalog = try Catalog(path: from.catalog, create: false)
    var summary = Summary()
    for attempt in 1...max(1, attempts) {
      summary = Summary(attempts: attempt)
      try clear(to, fs: fs)
      // One read transaction: segments and checkpoint as of the same commit.
      try createPrivate(to.catalog, mode: fs.modes.file)
      try catalog.db.prepare("VACUUM INTO ?").bind([.text(to.catalog)]).run()
      let written = try fs.open(to.catalog, flags: O_RDONLY, mode: 0)
      defer { fs.close(written) }
      try fs.fsync(written, path: to.catalog)
      summary.bytes += fs.size(to.catalog) ?? 0
      let copied = try Catalog(path: to.catalog, create: false)
      let checkpoint = try copied.checkpoint()
      var complete = true
      for file in try copied.allSegmentFiles().sorted() {
        guard let n = try copyFile(from.segment(file), to.segment(file), fs: fs) else {
          complete = false  // dropped by retention since the catalog was read
          break
        }
        summary.segments += 1
        summary.bytes += n
      }
      if complete {
        let names = ((try? fs.list(from.wal)) ?? []).filter { $0.hasSuffix(".wal") }.sorted()
        for name in names {
          // A file deleted meanwhile was sealed: the checkpoint below has moved.
          guard let n = try copyFile(from.wal + "/" + name, to.wal + "/" + name, fs: fs)
          else { continue }
          summary.walFiles += 1
          summary.bytes += n
        }
      }
      if complete, try catalog.checkpoint() == checkpoint {
        try fs.syncDirectory(to.segments)
        try fs.syncDirectory(to.wal)
        try fs.syncDirectory(destination)
        return summary
      }
    }
    throw .catalog(
      "the writer sealed during each of \(summary.attempts) backup attempts; try again")
  }

  /// Empties (creating) the destination's folders.
  private static func clear(_ to: StoreLayout, fs: any FileSystem) throws(StorageError) {
    for dir in [to.root, to.segments, to.wal] {
      try fs.makeDirectory(dir)
      _ = chmod(dir, mode_t(fs.modes.directory))
    }
    for dir in [to.segments, to.wal] {
      for name in try fs.list(dir) { try fs.unlink(dir + "/" + name) }
    }
    for suffix in ["", "-wal", "-shm"] { try fs.unlink(to.catalog + suffix) }
  }

  /// Creates an empty file with the store's file mode (`VACUUM INTO` keeps an empty file's mode).
  private static func createPrivate(_ path: String, mode: UInt32) throws(StorageError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else { throw .system(operation: "create", path: path, errno: .current) }
    close(fd)
  }

  /// Copies `source` as it is now to `target` (fsynced, private); returns the bytes copied, or
  /// nil when `source` no longer exists.
  private static func copyFile(_ source: String, _ target: String, fs: any FileSystem)
    throws(StorageError) -> Int?
  {
    let input: Int32
    do throws(StorageError) {
      input = try fs.open(source, flags: O_RDONLY, mode: 0)
    } catch {
      if case .system(_, _, .noSuchFile) = error { return nil }
      throw error
    }
    defer { fs.close(input) }
    let output = try fs.open(target, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: fs.modes.file)
    defer { fs.close(output) }
    var buffer = [UInt8](repeating: 0, count: 4 << 20)
    var offset = 0
    while true {
      let n = try buffer.withUnsafeMutableBytes { b in
        Result { () throws(StorageError) in
          try fs.pread(input, b, offset: offset, path: source)
        }
      }.get()
      if n == 0 { break }
      try buffer.withUnsafeBytes { b in
        Result { () throws(StorageError) in
          try fs.write(output, UnsafeRawBufferPointer(rebasing: b[..<n]), path: target)
        }
      }.get()
      offset += n
    }
    try fs.fsync(output, path: target)
    return offset
  }
}
