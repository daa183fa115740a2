import CSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// A thin owner of one SQLite connection (through the system libsqlite3).
///
/// `@unchecked Sendable`: the connection is opened with `SQLITE_OPEN_FULLMUTEX` (SQLite
/// serializes every call on it), and the handle and path never change after `init`.
final class SQLiteDatabase: @unchecked Sendable {
  let handle: OpaquePointer
  let path: String

  /// Opens (and with `create`, creates with permissions `mode`) the database at `path` in WAL mode.
  init(path: String, create: Bool, mode: UInt32 = StoreModes.private.file) throws(StorageError) {
    var db: OpaquePointer?
    if create {
      // Created with the store's mode first: SQLite then gives its -wal and -shm files the same.
      let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(mode))
      if fd >= 0 { close(fd) }
    }
    let flags =
      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX
    let rc = sqlite3_open_v2(path, &db, flags, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      if let db { sqlite3_close_v2(db) }
      throw .catalog("\(path): \(message)")
    }
    handle = db
    self.path = path
    sqlite3_busy_timeout(db, 10_000)
    try execute("PRAGMA journal_mode=WAL")
    try execute("PRAGMA synchronous=FULL")
  }

  deinit { sqlite3_close_v2(handle) }

  /// The error for SQLite result code `rc` with `message`: a damaged database file (SQLITE_CORRUPT,
  /// SQLITE_NOTADB) is ``StorageError/corrupt(file:column:block:reason:)`` naming it; any other
  /// is ``StorageError/catalog(_:)`` naming it too.
  func failure(_ rc: Int32, _ message: String) -> StorageError {
    let primary = rc & 0xFF
    guard primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB else {
      return .catalog("\(path): \(message)")
    }
    return .corrupt(file: path, column: nil, block: nil, reason: message)
  }

  /// Runs one or more statements that return no rows.
  func execute(_ sql: String) throws(StorageError) {
    var err: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &err)
    if rc != SQLITE_OK {
      let m = err.map { String(cString: $0) } ?? "error"
      sqlite3_free(err)
      throw failure(rc, "\(m) (in: \(sql.prefix(60)))")
    }
  }

  /// Prepares a statement.
  func prepare(_ sql: String) throws(StorageError) -> SQLiteStatement {
    var stmt: OpaquePointer?
    let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
    guard rc == SQLITE_OK, let stmt else {
      throw failure(rc, String(cString: sqlite3_errmsg(handle)) + " (in: \(sql.prefix(60)))")
    }
    return SQLiteStatement(stmt: stmt, db: self)
  }

  /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back on error.
  func transaction<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let v = try body()
      try execute("COMMIT")
      return v
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Runs `body` inside a read transaction so every query sees one snapshot.
  func read<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
    try execute("BEGIN")
    defer { try? execute("COMMIT") }
    return try body()
  }
}

/// A prepared statement: bind, step, read columns.
final class SQLiteStatement {
  let stmt: OpaquePointer
  let db: SQLiteDatabase

  init(stmt: OpaquePointer, db: SQLiteDatabase) {
    self.stmt = stmt
    self.db = db
  }

  deinit { sqlite3_finalize(stmt) }

  /// A value to bind.
  enum Value {
    case int(Int64)
    case text(String)
    case blob([UInt8])
    case null
  }

  /// Binds values to the positional parameters, resetting the statement first.
  @discardableResult
  func bind(_ values: [Value]) -> SQLiteStatement {
    sqlite3_reset(stmt)
    sqlite3_clear_bindings(stmt)
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (i, v) in values.enumerated() {
      let k = Int32(i + 1)
      switch v {
      case .int(let x): sqlite3_bind_int64(stmt, k, x)
      case .text(let s): sqlite3_bind_text(stmt, k, s, -1, transient)
      case .blob(let b):
        b.withUnsafeBytes {
          _ = sqlite3_bind_blob(stmt, k, $0.baseAddress, Int32(b.count), transient)
        }
      case .null: sqlite3_bind_null(stmt, k)
      }
    }
    return self
  }

  /// Steps once; true when a row is available.
  func step() throws(StorageError) -> Bool {
    let rc = sqlite3_step(stmt)
    if rc == SQLITE_ROW { return true }
    if rc == SQLITE_DONE { return false }
    throw db.failure(rc, String(cString: sqlite3_errmsg(db.handle)))
  }

  /// Runs to completion.
  func run() throws(StorageError) { while try step() {} }

  func int(_ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }
  func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }
  func text(_ i: Int32) -> String {
    sqlite3_column_text(stmt, i).map { String(cString: $0) } ?? ""
  }
  func blob(_ i: Int32) -> [UInt8] {
    let n = Int(sqlite3_column_bytes(stmt, i))
    guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: n))
  }
}
