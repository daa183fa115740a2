#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one seam between the store and the operating system's file calls.
///
/// Everything in `Storage` that touches a file goes through a `FileSystem`, so tests can swap in
/// one that fails on purpose (disk full, torn writes) and check that nothing stored is lost.
public protocol FileSystem: Sendable {
  /// The permissions of the files and folders it creates (``StoreModes/private`` unless given).
  var modes: StoreModes { get }
  /// Opens `path` with POSIX `flags` and `mode`, returning a descriptor.
  func open(_ path: String, flags: Int32, mode: UInt32) throws(StorageError) -> Int32
  /// Writes all of `bytes` at the descriptor's offset.
  func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError)
  /// Writes all of `buffers`, in order, at the descriptor's offset (one `writev(2)` where the
  /// system allows), so a caller can write data from several places without joining it.
  func writev(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer], path: String)
    throws(StorageError)
  /// Reads up to `count` bytes at `offset` into `buffer`, returning how many were read.
  func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String)
    throws(StorageError) -> Int
  /// Flushes the file's data to stable storage.
  func fsync(_ fd: Int32, path: String) throws(StorageError)
  /// Closes a descriptor.
  func close(_ fd: Int32)
  /// Renames `from` to `to` atomically.
  func rename(_ from: String, _ to: String) throws(StorageError)
  /// Removes a file; a missing file is not an error.
  func unlink(_ path: String) throws(StorageError)
  /// Creates a directory (and its parents); an existing one is not an error.
  func makeDirectory(_ path: String) throws(StorageError)
  /// The names in a directory.
  func list(_ path: String) throws(StorageError) -> [String]
  /// The size of a file in bytes, or nil when it does not exist.
  func size(_ path: String) -> Int?
  /// Truncates an open file to `length` bytes.
  func truncate(_ fd: Int32, length: Int, path: String) throws(StorageError)
  /// Opens (creating when missing) `path` for reading and writing with direct I/O, which moves
  /// data between the device and the caller's memory without the page cache; reads and writes
  /// must then be whole, aligned blocks (``DirectAppender/block``). Returns nil when the file
  /// system offers no direct I/O, and the caller writes through the page cache instead.
  func openDirect(_ path: String) throws(StorageError) -> Int32?
  /// Writes all of `bytes` at file offset `offset`.
  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
    throws(StorageError)
  /// Maps the first `length` bytes of an open file for reading, or nil when the file system does
  /// not map files (the caller reads with ``pread(_:_:offset:path:)`` instead). Only immutable
  /// files are mapped: a mapping of a file that shrinks faults on the lost pages.
  func mapReadOnly(_ fd: Int32, length: Int) -> UnsafeRawBufferPointer?
  /// Ends a mapping made by ``mapReadOnly(_:length:)``.
  func unmap(_ region: UnsafeRawBufferPointer)
}

extension FileSystem {
  /// No mapping: test doubles read through `pread`, where their faults are injected.
  public func mapReadOnly(_ fd: Int32, length: Int) -> UnsafeRawBufferPointer? { nil }

  /// Nothing to end when nothing was mapped.
  public func unmap(_ region: UnsafeRawBufferPointer) {}

  /// Owner only, unless the file system says otherwise.
  public var modes: StoreModes { .private }

  /// No direct I/O: the behaviour of a file system without it (test doubles inherit it unless
  /// they forward it).
  public func openDirect(_ path: String) throws(StorageError) -> Int32? { nil }

  /// Unsupported unless implemented: only descriptors from ``openDirect(_:)`` are written this
  /// way, and the default gives none.
  public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
    throws(StorageError)
  {
    throw .system(operation: "write", path: path, errno: .notSupported)
  }

  /// Writes the buffers one ``write(_:_:path:)`` at a time: the behaviour of a file system that
  /// has no gathering write (test doubles inherit their `write` failures through it).
  public func writev(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer], path: String)
    throws(StorageError)
  {
    for b in buffers where b.count > 0 { try write(fd, b, path: path) }
  }

  /// Reads a whole file.
  public func readFile(_ path: String) throws(StorageError) -> [UInt8] {
    let fd = try open(path, flags: O_RDONLY, mode: 0)
    defer { close(fd) }
    guard let n = size(path) else {
      throw .system(operation: "stat", path: path, errno: .noSuchFile)
    }
    var out = [UInt8](repeating: 0, count: n)
    var done = 0
    while done < n {
      let got = try out.withUnsafeMutableBytes { b in
        Result { () throws(StorageError) in
          try pread(
            fd, UnsafeMutableRawBufferPointer(rebasing: b[done...]), offset: done, path: path)
        }
      }.get()
      if got == 0 { break }
      done += got
    }
    return Array(out[..<done])
  }

  /// Writes `bytes` to `path` durably: temporary file, fsync, rename, directory fsync.
  public func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
    let fd = try writeTemporary(path, bytes)
    do throws(StorageError) {
      try commitTemporaries([(fd, path)], directory: parent(of: path))
    } catch {
      try? unlink(path + ".tmp")
      throw error
    }
  }

  /// Writes `bytes` to `path + ".tmp"` and returns its still open descriptor, to be made
  /// durable and renamed to `path`, together with others, by ``commitTemporaries(_:directory:)``.
  public func writeTemporary(_ path: String, _ bytes: [UInt8]) throws(StorageError) -> Int32 {
    try writeTemporary(path, parts: [bytes])
  }

  /// Writes `parts`, back to back, to `path + ".tmp"`, like ``writeTemporary(_:_:)``.
  public func writeTemporary(_ path: String, parts: [[UInt8]]) throws(StorageError) -> Int32 {
    let tmp = path + ".tmp"
    let fd = try open(tmp, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: modes.file)
    do throws(StorageError) {
      for bytes in parts where !bytes.isEmpty {
        try bytes.withUnsafeBytes { b in
          Result { () throws(StorageError) in try write(fd, b, path: tmp) }
        }.get()
      }
    } catch {
      close(fd)
      try? unlink(tmp)
      throw error
    }
    return fd
  }

  /// Makes files written by ``writeTemporary(_:_:)`` durable under their final names, as
  /// ``writeFileAtomically(_:_:)`` does one file, but with one directory fsync for all: every
  /// temporary is fsynced and closed, then each is renamed, then `directory` is fsynced. The
  /// descriptors are closed whatever happens; the caller removes the files on failure.
  public func commitTemporaries(_ files: [(fd: Int32, path: String)], directory: String)
    throws(StorageError)
  {
    var failure: StorageError? = nil
    for f in files {
      if failure == nil {
        do throws(StorageError) { try fsync(f.fd, path: f.path + ".tmp") } catch { failure = error }
      }
      close(f.fd)
    }
    if let failure { throw failure }
    for f in files { try rename(f.path + ".tmp", f.path) }
    try syncDirectory(directory)
  }

  /// fsyncs a directory so a rename inside it is durable.
  public func syncDirectory(_ path: String) throws(StorageError) {
    let fd = try open(path, flags: O_RDONLY | O_DIRECTORY, mode: 0)
    defer { close(fd) }
    try fsync(fd, path: path)
  }
}

func parent(of path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  return slash == path.startIndex ? "/" : String(path[..<slash])
}
