import CSQLite
import Storage

/// Reads the collector's saved state (exporter reports and the collector summary) from a data
/// directory's catalog, read-only, while a writer may hold the directory.
///
/// `StoreReader` has no public state accessor yet, so this opens `catalog.db` read-only itself
/// (SQLite WAL mode lets it read beside the writer). Replace with `StoreReader.state(scope:)`
/// once Storage offers it.
public enum PersistedState {
  /// The saved exporter reports by address, and the collector summary if one was saved.
  ///
  /// - Throws: ``StorageError/notAStore(_:)`` when `directory` holds no catalog;
  ///   ``StorageError/catalog(_:)`` when it cannot be read.
  public static func read(directory: String) throws(StorageError) -> (
    exporters: [(address: IPAddress, report: ExporterReport)], summary: CollectorSummary?
  ) {
    let path = directory + "/catalog.db"
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
      if let db { sqlite3_close_v2(db) }
      throw .notAStore(directory)
    }
    defer { sqlite3_close_v2(db) }
    sqlite3_busy_timeout(db, 5_000)
    var stmt: OpaquePointer?
    let sql = "SELECT key, value FROM state WHERE scope = ? ORDER BY key"
    guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
      let message = String(cString: sqlite3_errmsg(db))
      if message.contains("no such table") { throw .notAStore(directory) }
      throw .catalog("\(path): \(message)")
    }
    defer { sqlite3_finalize(stmt) }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    sqlite3_bind_text(stmt, 1, ExporterReport.scope, -1, transient)
    var exporters: [(IPAddress, ExporterReport)] = []
    var summary: CollectorSummary?
    while true {
      let rc = sqlite3_step(stmt)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else {
        throw .catalog("\(path): \(String(cString: sqlite3_errmsg(db)))")
      }
      let key = String(cString: sqlite3_column_text(stmt, 0))
      let n = Int(sqlite3_column_bytes(stmt, 1))
      var value: [UInt8] = []
      if n > 0, let p = sqlite3_column_blob(stmt, 1) {
        value = Array(UnsafeRawBufferPointer(start: p, count: n))
      }
      if key == CollectorSummary.key {
        summary = CollectorSummary(encoded: value)
      } else if let a = IPAddress(key), let r = ExporterReport(encoded: value) {
        exporters.append((a, r))
      }
    }
    return (exporters.sorted { $0.0 < $1.0 }, summary)
  }
}
