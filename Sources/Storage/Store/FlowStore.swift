import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The writer of a data directory: appends columnar batches through the WAL into memory and
/// seals them into immutable segment files registered in the catalog.
///
/// Exactly one `FlowStore` may be open on a directory at a time (a lock file enforces it, across
/// processes); any number of ``StoreReader``s may read alongside it.
///
/// `@unchecked Sendable`: the mutable state (WAL, active rows, schemas, spares, `closed`) is
/// read and written holding `lock`; sealing runs under it too (``seal()``, the background
/// timer), and the immutable parts (layout, options, catalog) need no lock.
public final class FlowStore: @unchecked Sendable {
  let layout: StoreLayout
  let options: StoreOptions
  let fs: any FileSystem
  let catalog: Catalog
  let lock = Mutex(())
  var writerLock: WriterLock?
  var wal: WriteAheadLog
  var schemas: [String: TableSchema]
  /// Rows appended but not sealed, per table.
  var active: [String: UnsealedRows] = [:]
  var activeRows = 0
  var activeSince: Double? = nil
  var lastSequence: UInt64
  var timer: DispatchSourceTimer?
  var closed = false
  var nextSealAttempt: Double = 0
  /// What opening the store repaired, one line each (a torn last WAL entry cut off), for the
  /// caller to log.
  public private(set) var recoveryNotes: [String] = []
  /// Sealed batches an appender may take to fill again (``takeSpareBatch()``).
  var spares: [ColumnBatch] = []
  /// Most batches kept in ``spares`` between seals (a seal may leave more, see ``sealLocked``).
  static let maxSpares = 2

  /// Opens (creating when needed) the data directory `directory` for writing.
  ///
  /// Removes files no catalog row names, replays the WAL past the last checkpoint into memory and
  /// cuts off a torn last entry (noted in ``recoveryNotes``).
  /// - Throws: ``StorageError/locked(path:holder:)`` when another writer holds the directory;
  ///   ``StorageError/catalog(_:)`` when a newer flowstore wrote the catalog (a higher schema
  ///   version of `flows`); ``StorageError/corrupt(file:column:block:reason:)`` when a WAL file is
  ///   damaged before its end (valid entries follow a damaged one) or the catalog fails its check;
  ///   system or catalog errors.
  public init(directory: String, options: StoreOptions = StoreOptions()) throws(StorageError) {
    self.options = options
    fs = options.fileSystem
    layout = StoreLayout(root: directory)
    try fs.makeDirectory(directory)
    writerLock = try WriterLock(directory: directory, mode: fs.modes.file)
    try fs.makeDirectory(layout.segments)
    let existing = fs.size(layout.catalog) != nil
    if !existing, let first = try fs.list(layout.segments).first {
      // Creating a new catalog here would delete every segment as unknown.
      throw .corrupt(
        file: layout.catalog, column: nil, block: nil,
        reason:
          "missing while \(layout.segments) holds segment files (\(first)...): refusing to "
          + "start over; restore the catalog from a backup")
    }
    do throws(StorageError) {
      catalog = try Catalog(path: layout.catalog, create: true, mode: fs.modes.file)
      if existing {
        try catalog.check()
        try catalog.checkDefinitions()
      }
    } catch {
      guard case .corrupt = error else {
        throw .corrupt(
          file: layout.catalog, column: nil, block: nil,
          reason: "unreadable (\(error.description)): refusing to start over it")
      }
      throw error
    }
    try catalog.refuseNewerVersion(than: FlowSchema.flows)
    try catalog.register(FlowSchema.flows)
    if let r = options.retentionMilliseconds {
      try catalog.setRetention(table: FlowSchema.flows.name, milliseconds: r)
    }
    schemas = Dictionary(uniqueKeysWithValues: try catalog.schemas().map { ($0.name, $0) })
    let known = try catalog.allSegmentFiles()
    let present = try fs.list(layout.segments)
    // Seals write the file before the catalog row and retention drops the row before the file,
    // so a row without its file means a damaged catalog (a flipped name): deleting the files it
    // does not name would delete the segments it names wrongly.
    if let missing = known.subtracting(present).sorted().first {
      throw .corrupt(
        file: layout.catalog, column: nil, block: nil,
        reason:
          "names segment \(missing), which \(layout.segments) does not hold (a damaged name, or "
          + "a lost file): refusing to start, so as to delete nothing")
    }
    for name in present where !known.contains(name) {
      try fs.unlink(layout.segment(name))
    }
    let checkpoint = try catalog.checkpoint()
    let replay = try WriteAheadLog.replay(
      directory: layout.wal, fs: fs, after: checkpoint, schemas: schemas)
    for torn in replay.tornFiles {
      let fd = try fs.open(torn.path, flags: O_WRONLY, mode: 0)
      try fs.truncate(fd, length: torn.valid, path: torn.path)
      try fs.fsync(fd, path: torn.path)
      fs.close(fd)
      recoveryNotes.append(
        "WAL file \(torn.path): cut off \(torn.length - torn.valid) bytes at byte \(torn.valid), "
          + (torn.damaged
            ? "a last entry that fails its checksum (damage, or a write torn by a power loss)"
            : "an incomplete last entry (an append the crash interrupted)"))
    }
    lastSequence = replay.last
    wal = try WriteAheadLog(
      directory: layout.wal, fs: fs, nextSequence: replay.last + 1, direct: options.walDirectIO)
    for e in replay.entries { addToMemory(e.batch) }
    if options.backgroundTimer { startTimer() }
  }

  deinit {
    timer?.cancel()
  }

  /// The schema of a table.
  public func schema(_ table: String) -> TableSchema? {
    lock.withLock { _ in schemas[table] }
  }

  /// Appends a batch: written to the WAL (visible to readers at once), then held in memory until
  /// sealed. Returns the WAL sequence number.
  ///
  /// A batch whose times are in order, after the rows before it, is encoded into segment blocks
  /// here (``OrderedRows``) and, when every row of it lands in such a block, logged as those
  /// blocks; it is then handed back through ``takeSpareBatch()`` for the caller to fill again.
  ///
  /// - Throws: ``StorageError/invalidBatch(_:)`` when the batch's table is unknown or its schema
  ///   differs; a system error (e.g. disk full) when the WAL write fails, in which case nothing of
  ///   the batch is stored.
  @discardableResult
  public func append(_ batch: ColumnBatch) throws(StorageError) -> UInt64 {
    try lock.withLock { _ throws(StorageError) -> UInt64 in
      guard !closed else { throw .closed }
      guard let schema = schemas[batch.schema.name] else {
        throw .unknownTable(batch.schema.name)
      }
      guard schema.columns == batch.schema.columns else {
        throw .invalidBatch("batch schema differs from table \(schema.name)'s")
      }
      guard batch.rowCount > 0 else { return lastSequence }
      let table = batch.schema.name
      let seq: UInt64
      let taken: Bool
      let prepared = (active[table] ?? fresh(batch.schema)).prepare(
        batch, threads: options.sealThreads)
      if let p = prepared {
        // Encoded already: the log holds the blocks, not the columns.
        seq = try wal.append(
          blocks: Array(p.ownBlocks), rows: Array(p.ownRows), schema: batch.schema)
        active[table, default: fresh(batch.schema)].commit(p)
        counted(rows: p.rowCount)
        taken = true
      } else {
        seq = try wal.append(batch)
        taken = addToMemory(batch)
      }
      lastSequence = seq
      // An encoded batch is the caller's alone once this returns: a builder may fill it again.
      if taken, batch.rowCount >= ActiveRows.sharedBatchRows, spares.count < Self.maxSpares {
        spares.append(batch)
      }
      if activeRows >= options.sealRows {
        do throws(StorageError) {
          try sealLocked()
        } catch {
          options.onBackgroundError?(error)
        }
      }
      return seq
    }
  }

  /// No unsealed rows of a table with `schema`.
  func fresh(_ schema: TableSchema) -> UnsealedRows {
    UnsealedRows(schema: schema, blockRows: options.blockRows, width: options.partitionMilliseconds)
  }

  /// Holds `batch` until the seal; true when its rows were encoded or copied, not kept.
  @discardableResult
  func addToMemory(_ batch: ColumnBatch) -> Bool {
    let taken = active[batch.schema.name, default: fresh(batch.schema)].append(
      batch, threads: options.sealThreads)
    counted(rows: batch.rowCount)
    return taken
  }

  /// Counts `rows` more rows held unsealed, the first of them starting the seal-by-age clock.
  private func counted(rows: Int) {
    activeRows += rows
    if activeSince == nil { activeSince = SystemClock.monotonicSeconds() }
  }

  /// A batch whose rows are sealed and whose arrays nothing else holds, for the caller to clear
  /// and fill with the next rows instead of allocating fresh arrays (an appender that builds
  /// batches of a steady size then reuses the same memory seal after seal). Nil when none.
  public func takeSpareBatch() -> ColumnBatch? {
    lock.withLock { _ in spares.popLast() }
  }

  /// fsyncs the WAL: every append so far survives a power loss.
  public func sync() throws(StorageError) {
    try lock.withLock { _ throws(StorageError) in try syncLocked() }
  }

  /// fsyncs the WAL when appends wait for it, timing the sync for ``StoreOptions/onEvent``;
  /// caller holds `lock`.
  func syncLocked() throws(StorageError) {
    guard wal.unsynced else { return }
    let started = SystemClock.monotonicNanoseconds()
    try wal.sync()
    options.onEvent?(.walSynced(nanoseconds: Int64(SystemClock.monotonicNanoseconds() - started)))
  }

  /// Rows appended but not yet sealed.
  public var unsealedRows: Int { lock.withLock { _ in activeRows } }

  /// Rows of `table` appended but not yet sealed (what `flowstore info` reads from the WAL).
  public func unsealedRows(table: String) -> Int {
    lock.withLock { _ in active[table]?.rowCount ?? 0 }
  }

  /// Seals every in-memory row into segment files now.
  ///
  /// - Throws: system errors (disk full included) or catalog errors; the rows then stay in
  ///   memory and in the WAL, and a later seal retries.
  public func seal() throws(StorageError) {
    try lock.withLock { _ throws(StorageError) in try sealLocked() }
  }

  /// Seals, syncs and releases the directory. The store cannot be used afterwards.
  public func close() throws(StorageError) {
    timer?.cancel()
    timer = nil
    try lock.withLock { _ throws(StorageError) in
      guard !closed else { return }
      // Sealing makes the WAL's entries redundant; only when it fails must they be made durable.
      do throws(StorageError) {
        try sealLocked()
      } catch {
        try wal.sync()
        throw error
      }
      try wal.sync()
      closed = true
      writerLock = nil
    }
  }

  /// Stores a small state blob in the catalog (e.g. templates), replacing the previous one.
  public func putState(scope: String, key: String, value: [UInt8]) throws(StorageError) {
    try catalog.putState(scope: scope, key: key, value: value)
  }

  /// The state blobs stored under `scope`.
  public func state(scope: String) throws(StorageError) -> [(key: String, value: [UInt8])] {
    try catalog.state(scope: scope)
  }
}
