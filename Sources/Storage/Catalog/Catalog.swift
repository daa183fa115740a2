/// The store's catalog: tables, their columns, sealed segments with per-column statistics, the
/// WAL checkpoint and small state blobs other modules keep (templates, exporter statistics).
///
/// It is a SQLite database in WAL mode (`catalog.db`), so readers in other processes see a
/// consistent snapshot while the writer commits.
final class Catalog: Sendable {
  let db: SQLiteDatabase

  static let schemaSQL = """
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS tables(
      name TEXT PRIMARY KEY, schema_version INTEGER NOT NULL, retention_ms INTEGER);
    CREATE TABLE IF NOT EXISTS columns(
      table_name TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,
      type INTEGER NOT NULL, since INTEGER NOT NULL, PRIMARY KEY(table_name, name));
    CREATE TABLE IF NOT EXISTS segments(
      id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, file TEXT NOT NULL UNIQUE,
      partition_start INTEGER NOT NULL, min_time INTEGER NOT NULL, max_time INTEGER NOT NULL,
      rows INTEGER NOT NULL, bytes INTEGER NOT NULL, raw_bytes INTEGER NOT NULL,
      schema_version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS segments_time ON segments(table_name, min_time, max_time);
    CREATE TABLE IF NOT EXISTS segment_columns(
      segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
      name TEXT NOT NULL, stored_bytes INTEGER NOT NULL, null_count INTEGER NOT NULL,
      PRIMARY KEY(segment_id, name));
    CREATE TABLE IF NOT EXISTS state(
      scope TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY(scope, key));
    """

  /// Opens the catalog; `create` makes the file (with permissions `mode`) and the tables when
  /// missing.
  init(path: String, create: Bool, mode: UInt32 = StoreModes.private.file) throws(StorageError) {
    db = try SQLiteDatabase(path: path, create: create, mode: mode)
    try db.execute("PRAGMA foreign_keys=ON")
    if create { try db.execute(Catalog.schemaSQL) }
  }

  /// Throws when the catalog holds `schema`'s table at a newer version than `schema`: a newer
  /// flowstore wrote it, with columns this one's appends would not match.
  func refuseNewerVersion(than schema: TableSchema) throws(StorageError) {
    let s = try db.prepare("SELECT schema_version FROM tables WHERE name = ?")
      .bind([.text(schema.name)])
    guard try s.step(), s.int(0) > schema.version else { return }
    throw .catalog(
      "table \(schema.name) has schema version \(s.int(0)), newer than this flowstore's "
        + "\(schema.version): run the flowstore that wrote it, or a newer one")
  }

  /// Checks the database's structure (`PRAGMA quick_check`: pages, records, indexes).
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` naming the catalog and the
  ///   first problem SQLite reports, or when SQLite cannot read it at all.
  func check() throws(StorageError) {
    var problems: [String] = []
    do throws(StorageError) {
      let s = try db.prepare("PRAGMA quick_check(5)")
      while try s.step() { problems.append(s.text(0)) }
    } catch {
      if case .corrupt = error { throw error }
      throw .corrupt(file: db.path, column: nil, block: nil, reason: error.description)
    }
    guard problems == ["ok"] else {
      throw .corrupt(
        file: db.path, column: nil, block: nil,
        reason: problems.prefix(3).joined(separator: "; "))
    }
  }

  /// Checks that every table and index this build defines (``schemaSQL``) and the catalog holds
  /// is defined there exactly as here: a damaged definition (a flipped letter in a column name)
  /// passes `quick_check`, and would fail statements later, or make them read other columns.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` naming the catalog and the
  ///   first definition that differs.
  func checkDefinitions() throws(StorageError) {
    let reference = try SQLiteDatabase(path: ":memory:", create: false)
    try reference.execute(Catalog.schemaSQL)
    func definitions(_ db: SQLiteDatabase) throws(StorageError) -> [String: String] {
      let s = try db.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL")
      var out: [String: String] = [:]
      while try s.step() { out[s.text(0)] = s.text(1) }
      return out
    }
    let stored = try definitions(db)
    for (name, sql) in try definitions(reference).sorted(by: { $0.key < $1.key }) {
      guard let found = stored[name], found != sql else { continue }
      throw .corrupt(
        file: db.path, column: nil, block: nil,
        reason: "the definition of \(name) reads '\(found.prefix(120))', not '\(sql.prefix(120))'")
    }
  }

  /// Registers `schema` (or upgrades its columns to a newer version).
  func register(_ schema: TableSchema) throws(StorageError) {
    try db.transaction { () throws(StorageError) in
      try db.prepare(
        """
        INSERT INTO tables(name, schema_version) VALUES(?, ?)
        ON CONFLICT(name) DO UPDATE SET schema_version = max(schema_version, excluded.schema_version)
        """
      ).bind([.text(schema.name), .int(Int64(schema.version))]).run()
      let insert = try db.prepare(
        "INSERT OR IGNORE INTO columns(table_name, position, name, type, since) VALUES(?,?,?,?,?)")
      for (i, c) in schema.columns.enumerated() {
        try insert.bind([
          .text(schema.name), .int(Int64(i)), .text(c.name), .int(Int64(c.type.rawValue)),
          .int(Int64(c.since)),
        ]).run()
      }
    }
  }

  /// The schemas of every table; a table the store knows (``FlowSchema``) has its current
  /// definition, so a store written by an older version reads the newer columns as NULL.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` when a table or column the
  ///   catalog holds is not one this build knows (a damaged name or type would otherwise read as
  ///   a missing table or column); catalog errors.
  func schemas() throws(StorageError) -> [TableSchema] {
    let tables = try storedSchemas()
    for t in tables {
      guard let known = FlowSchema.builtIn[t.name] else {
        throw .corrupt(
          file: db.path, column: nil, block: nil, reason: "names an unknown table '\(t.name)'")
      }
      // Columns past the known ones are a newer build's.
      for (i, c) in t.columns.enumerated().prefix(known.columns.count)
      where known.columns[i].name != c.name || known.columns[i].type != c.type {
        throw .corrupt(
          file: db.path, column: nil, block: nil,
          reason:
            "table \(t.name), column \(i + 1) reads '\(c.name)' (\(c.type)) where it is "
            + "'\(known.columns[i].name)' (\(known.columns[i].type))")
      }
    }
    return tables.map { FlowSchema.builtIn[$0.name]?.merged(with: $0) ?? $0 }
  }

  /// The schemas of every table as stored.
  private func storedSchemas() throws(StorageError) -> [TableSchema] {
    try db.read { () throws(StorageError) in
      var tables: [(String, Int)] = []
      let t = try db.prepare("SELECT name, schema_version FROM tables ORDER BY name")
      while try t.step() { tables.append((t.text(0), Int(t.int(1)))) }
      let c = try db.prepare(
        "SELECT name, type, since FROM columns WHERE table_name = ? ORDER BY position")
      return try tables.map { (name, version) throws(StorageError) in
        c.bind([.text(name)])
        var cols: [ColumnDefinition] = []
        while try c.step() {
          guard let type = ColumnType(rawValue: UInt8(truncatingIfNeeded: c.int(1))) else {
            throw .catalog("column \(c.text(0)) of \(name) has unknown type \(c.int(1))")
          }
          cols.append(ColumnDefinition(c.text(0), type, since: Int(c.int(2))))
        }
        return TableSchema(name: name, version: version, columns: cols)
      }
    }
  }

  /// A meta value.
  func meta(_ key: String) throws(StorageError) -> String? {
    let s = try db.prepare("SELECT value FROM meta WHERE key = ?").bind([.text(key)])
    return try s.step() ? s.text(0) : nil
  }

  /// Sets a meta value (inside the caller's transaction, if any).
  func setMeta(_ key: String, _ value: String) throws(StorageError) {
    try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")
      .bind([.text(key), .text(value)]).run()
  }
}
