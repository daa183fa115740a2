#if canImport(Glibc)
  import Glibc
#endif

/// The data directory's single-writer lock: an exclusive `flock` on `DIR/LOCK`, holding the
/// writer's pid for the error message another writer gets.
struct WriterLock: ~Copyable {
  let fd: Int32

  /// Takes the lock or throws ``StorageError/locked(path:holder:)`` at once.
  init(directory: String, mode: UInt32) throws(StorageError) {
    let path = directory + "/LOCK"
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else { throw .system(operation: "open", path: path, errno: .current) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      var buf = [UInt8](repeating: 0, count: 32)
      let n = pread(fd, &buf, 32, 0)
      let pid = String(decoding: buf.prefix(max(0, n)), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      Glibc.close(fd)
      throw .locked(path: directory, holder: pid.isEmpty ? "unknown pid" : "pid \(pid)")
    }
    let text = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    self.fd = fd
  }

  deinit {
    flock(fd, LOCK_UN)
    Glibc.close(fd)
  }
}

extension String {
  fileprivate func trimmingCharacters(in _: WhitespaceSet) -> String {
    String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
  }
}

private enum WhitespaceSet { case whitespacesAndNewlines }
