import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A read-only view of a data directory, safe to use while a writer (in this or another process)
/// appends: sealed segments come from the catalog, rows not yet sealed from the WAL tail.
///
/// `Sendable`: every stored property is immutable but the open segments and the skipped list,
/// which live in a `Mutex`; the catalog serializes its own SQLite connection.
public final class StoreReader: Sendable {
  let layout: StoreLayout
  let fs: any FileSystem
  let catalog: Catalog
  /// When true, a segment whose footer is unreadable is skipped (and listed in ``skipped``)
  /// instead of failing the snapshot.
  public let skipCorrupt: Bool
  private let state = Mutex(OpenSegments())

  /// The segments a reader has opened, and those it skipped as corrupt.
  private struct OpenSegments {
    var readers: [String: SegmentReader] = [:]
    var skipped: [String] = []
    /// Bytes of the open readers' files that are mapped (see ``mappedBytesBudget``).
    var mappedBytes = 0
  }

  /// Segments skipped because they were corrupt, with the reason.
  public var skipped: [String] { state.withLock { $0.skipped } }

  /// The most bytes of segment files a reader maps by default (512 MiB). Mapped pages that a
  /// query reads count in the process's resident set (shared with the page cache) for as long
  /// as the reader keeps the segment open, so past this the reader copies chunks out with
  /// `pread` instead and a full scan of a large store stays within it.
  public static let defaultMappedBytesBudget = 512 << 20

  /// The most bytes of segment files this reader maps.
  public let mappedBytesBudget: Int

  /// Opens the data directory at `directory` for reading; with `skipCorrupt`, snapshots skip
  /// segments whose footer is unreadable (listing them in ``skipped``); segments are mapped while
  /// their sizes add up to at most `mappedBytesBudget`, and read with `pread` past it.
  ///
  /// - Throws: ``StorageError/notAStore(_:)`` when it holds no catalog.
  public init(
    directory: String, fileSystem: any FileSystem = PosixFileSystem(), skipCorrupt: Bool = false,
    mappedBytesBudget: Int = StoreReader.defaultMappedBytesBudget
  ) throws(StorageError) {
    self.mappedBytesBudget = mappedBytesBudget
    layout = StoreLayout(root: directory)
    fs = fileSystem
    self.skipCorrupt = skipCorrupt
    guard fs.size(layout.catalog) != nil else { throw .notAStore(directory) }
    catalog = try Catalog(path: layout.catalog, create: false)
    StoreReader.raiseOpenFileLimit()
  }

  /// Each open segment keeps one descriptor; a store of months of hourly segments needs more
  /// than the usual soft limit of 1,024, so raise it to the hard limit.
  static func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max
    else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
  }

  /// The schemas of every table.
  public func tableSchemas() throws(StorageError) -> [TableSchema] {
    try catalog.schemas()
  }

  /// A consistent view of `table`: segments overlapping `timeRange` (ms, half-open; nil for all)
  /// as one scan unit per block, then the unsealed rows from the WAL.
  ///
  /// - Throws: ``StorageError/unknownTable(_:)``; ``StorageError/corrupt(file:column:block:reason:)``
  ///   for an unreadable segment footer unless ``skipCorrupt`` is set.
  public func snapshot(table: String, timeRange: Range<Int64>? = nil) throws(StorageError)
    -> Snapshot
  {
    let schemas = Dictionary(uniqueKeysWithValues: try catalog.schemas().map { ($0.name, $0) })
    guard let schema = schemas[table] else { throw .unknownTable(table) }
    var walRereads = 0
    for _ in 0..<20 {
      let (segments, total, checkpoint) = try catalog.db.read {
        () throws(StorageError) -> ([SegmentSummary], Int, UInt64) in
        (
          try catalog.segments(table: table, overlapping: timeRange),
          try catalog.segments(table: table).count, try catalog.checkpoint()
        )
      }
      let tail: WriteAheadLog.Replay
      do throws(StorageError) {
        tail = try WriteAheadLog.replay(
          directory: layout.wal, fs: fs, after: checkpoint, schemas: schemas)
        // An incomplete last entry is an append under way; a whole one that fails its check is
        // damage (the writer cuts it off when it next starts), and its rows would be missing.
        if let bad = tail.tornFiles.first(where: \.damaged) {
          throw StorageError.corrupt(
            file: bad.path, column: nil, block: nil,
            reason: "the last entry, at byte \(bad.valid), fails its checksum")
        }
      } catch {
        // A read racing the writer's append could in principle see an entry half written and
        // the next one whole; damage stays when read again.
        guard case .corrupt = error, walRereads < 2 else { throw error }
        walRereads += 1
        continue
      }
      guard try catalog.checkpoint() == checkpoint else { continue }
      var units: [ScanUnit] = []
      var kept = 0
      for s in segments {
        guard let reader = try segmentReader(s.file, schema: schema) else { continue }
        units += reader.units(name: s.file)
        kept += 1
      }
      let rows = tail.entries.filter { $0.batch.schema.name == table }.map(\.batch)
      if !rows.isEmpty {
        units += MemoryBlockSource.units(of: FlowStore.concatenate(rows, schema: schema))
      }
      return Snapshot(
        schema: schema, units: units, prunedSegments: total - segments.count, keptSegments: kept)
    }
    throw .catalog("the writer kept sealing while this snapshot was taken; try again")
  }

  func segmentReader(_ file: String, schema: TableSchema) throws(StorageError) -> SegmentReader? {
    if let r = state.withLock({ $0.readers[file] }) { return r }
    do throws(StorageError) {
      // Segments are mapped while their sizes add up to at most the budget; past it they are
      // read with pread, so a scan over a large store keeps no more of it resident than that.
      let path = layout.segment(file)
      let size = fs.size(path) ?? 0
      let map = state.withLock { open in
        guard open.mappedBytes + size <= mappedBytesBudget else { return false }
        open.mappedBytes += size
        return true
      }
      let r = try SegmentReader(path: path, schema: schema, fs: fs, map: map)
      state.withLock { $0.readers[file] = r }
      return r
    } catch {
      guard skipCorrupt, case .corrupt = error else { throw error }
      let reason = error.description
      state.withLock { $0.skipped.append(reason) }
      return nil
    }
  }
}
