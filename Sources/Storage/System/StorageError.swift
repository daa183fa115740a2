/// Everything the storage layer can fail with. Each case renders to one line that says what is
/// wrong and where (see ``description``).
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A system call failed: the operation, the path and the error number.
  case system(operation: String, path: String, errno: Errno)
  /// Another process holds the data directory's writer lock.
  case locked(path: String, holder: String)
  /// A checksum or structural check failed inside a segment, a WAL file or the catalog.
  case corrupt(file: String, column: String?, block: Int?, reason: String)
  /// The catalog database reported an error.
  case catalog(String)
  /// An append was rejected before anything was written.
  case invalidBatch(String)
  /// The data directory does not exist or holds no store, and the caller asked not to create one.
  case notAStore(String)
  /// A table name that the catalog does not know.
  case unknownTable(String)
  /// The store was closed.
  case closed

  /// A one-line, human-readable message.
  public var description: String {
    switch self {
    case .system(let op, let path, let e):
      return "\(op) \(path): \(e)"
    case .locked(let path, let holder):
      return "data directory \(path) is locked by another writer (\(holder))"
    case .corrupt(let file, let column, let block, let reason):
      let kind =
        file.hasSuffix(".wal") ? "WAL file" : file.hasSuffix(".db") ? "catalog" : "segment"
      var s = "corrupt \(kind) \(file)"
      if let column { s += ", column \(column)" }
      if let block { s += ", block \(block)" }
      return s + ": \(reason)"
    case .catalog(let m): return "catalog: \(m)"
    case .invalidBatch(let m): return "invalid batch: \(m)"
    case .notAStore(let p): return "\(p) is not a FlowStore data directory"
    case .unknownTable(let t): return "no table named '\(t)'"
    case .closed: return "the store is closed"
    }
  }

  /// True when the failure means the disk (or quota) is full.
  public var isDiskFull: Bool {
    if case .system(_, _, let e) = self { return e.isDiskFull }
    return false
  }
}
