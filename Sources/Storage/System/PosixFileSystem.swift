#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real ``FileSystem``: POSIX calls, retried on EINTR.
public struct PosixFileSystem: FileSystem {
  /// The permissions of what it creates.
  public let modes: StoreModes

  /// Creates the POSIX file system; `modes` are the permissions of what it creates.
  public init(modes: StoreModes = .private) { self.modes = modes }

  public func open(_ path: String, flags: Int32, mode: UInt32) throws(StorageError) -> Int32 {
    while true {
      let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(mode))
      if fd >= 0 { return fd }
      if errno != EINTR { throw .system(operation: "open", path: path, errno: .current) }
    }
  }

  public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String)
    throws(StorageError)
  {
    try writeAll(bytes, path: path) { p, n, _ in Glibc.write(fd, p, n) }
  }

  /// Calls `call(pointer, count, done)` until all of `bytes` is written, continuing after a
  /// short write or EINTR; `done` is how many bytes went before.
  private func writeAll(
    _ bytes: UnsafeRawBufferPointer, path: String, _ call: (UnsafeRawPointer, Int, Int) -> Int
  ) throws(StorageError) {
    var done = 0
    while done < bytes.count {
      let n = call(bytes.baseAddress! + done, bytes.count - done, done)
      if n < 0 {
        if errno == EINTR { continue }
        throw .system(operation: "write", path: path, errno: .current)
      }
      done += n
    }
  }

  /// One `writev(2)` per up to `IOV_MAX` buffers, continued after a short write or EINTR.
  public func writev(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer], path: String)
    throws(StorageError)
  {
    var iov = buffers.compactMap { b -> iovec? in
      b.count > 0
        ? iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress), iov_len: b.count) : nil
    }
    let maxVectors = 1024  // IOV_MAX on Linux and Darwin
    var first = 0
    while first < iov.count {
      let n = iov.withUnsafeMutableBufferPointer { v in
        Glibc.writev(fd, v.baseAddress! + first, Int32(Swift.min(maxVectors, v.count - first)))
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw .system(operation: "write", path: path, errno: .current)
      }
      // Skip what was written: whole buffers, then part of the next one.
      var done = n
      while first < iov.count && done >= iov[first].iov_len {
        done -= iov[first].iov_len
        first += 1
      }
      if done > 0 {
        iov[first].iov_base = iov[first].iov_base! + done
        iov[first].iov_len -= done
      }
    }
  }

  public func pread(
    _ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String
  ) throws(StorageError) -> Int {
    while true {
      let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
      if n >= 0 { return n }
      if errno != EINTR { throw .system(operation: "read", path: path, errno: .current) }
    }
  }

  public func mapReadOnly(_ fd: Int32, length: Int) -> UnsafeRawBufferPointer? {
    guard length > 0 else { return nil }
    let p = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
    guard let p, p != MAP_FAILED else { return nil }
    return UnsafeRawBufferPointer(start: p, count: length)
  }

  public func unmap(_ region: UnsafeRawBufferPointer) {
    if let base = region.baseAddress {
      _ = munmap(UnsafeMutableRawPointer(mutating: base), region.count)
    }
  }

  public func fsync(_ fd: Int32, path: String) throws(StorageError) {
    if Glibc.fsync(fd) != 0 { throw .system(operation: "fsync", path: path, errno: .current) }
  }

  public func close(_ fd: Int32) { _ = Glibc.close(fd) }

  public func rename(_ from: String, _ to: String) throws(StorageError) {
    if Glibc.rename(from, to) != 0 {
      throw .system(operation: "rename", path: from, errno: .current)
    }
  }

  public func unlink(_ path: String) throws(StorageError) {
    if Glibc.unlink(path) != 0 && errno != ENOENT {
      throw .system(operation: "unlink", path: path, errno: .current)
    }
  }

  public func makeDirectory(_ path: String) throws(StorageError) {
    if Glibc.mkdir(path, mode_t(modes.directory)) == 0 || errno == EEXIST { return }
    if errno == ENOENT {
      try makeDirectory(parent(of: path))
      if Glibc.mkdir(path, mode_t(modes.directory)) == 0 || errno == EEXIST { return }
    }
    throw .system(operation: "mkdir", path: path, errno: .current)
  }

  public func list(_ path: String) throws(StorageError) -> [String] {
    guard let dir = opendir(path) else {
      throw .system(operation: "opendir", path: path, errno: .current)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  public func size(_ path: String) -> Int? {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : nil
  }

  /// `O_DIRECT` where Linux defines it; nil when the open is refused with EINVAL (a file system
  /// without direct I/O, such as tmpfs) and on other systems.
  public func openDirect(_ path: String) throws(StorageError) -> Int32? {
    #if os(Linux) && (arch(x86_64) || arch(arm64))
      #if arch(x86_64)
        let direct: Int32 = 0o40000
      #else
        let direct: Int32 = 0o200000
      #endif
      while true {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | direct, mode_t(modes.file))
        if fd >= 0 { return fd }
        if errno == EINVAL { return nil }
        if errno != EINTR { throw .system(operation: "open", path: path, errno: .current) }
      }
    #else
      return nil
    #endif
  }

  public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
    throws(StorageError)
  {
    try writeAll(bytes, path: path) { p, n, done in
      Glibc.pwrite(fd, p, n, off_t(offset + done))
    }
  }

  public func truncate(_ fd: Int32, length: Int, path: String) throws(StorageError) {
    if ftruncate(fd, off_t(length)) != 0 {
      throw .system(operation: "truncate", path: path, errno: .current)
    }
  }
}
