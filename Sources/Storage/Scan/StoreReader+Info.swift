/// What `flowstore info` reports for one table.
public struct TableInfo: Sendable {
  /// The table name.
  public var name: String
  /// The schema version.
  public var schemaVersion: Int
  /// Sealed segments.
  public var segments: Int
  /// Rows in sealed segments.
  public var sealedRows: Int
  /// Rows appended but not yet sealed (read from the WAL).
  public var unsealedRows: Int
  /// Oldest and newest `time` (ms) across sealed and unsealed rows, nil when empty.
  public var timeRange: ClosedRange<Int64>?
  /// Bytes of the segment files.
  public var bytesOnDisk: Int
  /// Bytes of the same columns unencoded.
  public var rawBytes: Int
  /// Retention in ms, nil when rows are kept forever.
  public var retention: Int64?

  /// All rows.
  public var rows: Int { sealedRows + unsealedRows }
}

extension StoreReader {
  /// Per-table figures: segments, rows, time range, bytes on disk and raw.
  ///
  /// With `countingUnsealed` false the WAL is not read: ``TableInfo/unsealedRows`` is 0 and the
  /// time range covers sealed rows only (the cheap form, from the catalog alone).
  /// - Throws: ``StorageError/catalog(_:)`` when the catalog cannot be read; WAL read errors.
  public func info(countingUnsealed: Bool = true) throws(StorageError) -> [TableInfo] {
    var out: [TableInfo] = []
    for schema in try catalog.schemas() {
      let segments = try catalog.segments(table: schema.name)
      let memory = countingUnsealed ? try snapshot(table: schema.name).units : []
      var lo = segments.map(\.minTime).min()
      var hi = segments.map(\.maxTime).max()
      var unsealed = 0
      for u in memory where u.segment == "memory" {
        unsealed += u.rowCount
        if case .signed(let a, let b)? = u.zones.first??.bounds {
          lo = min(lo ?? a, a)
          hi = max(hi ?? b, b)
        }
      }
      out.append(
        TableInfo(
          name: schema.name, schemaVersion: schema.version, segments: segments.count,
          sealedRows: segments.reduce(0) { $0 + $1.rows }, unsealedRows: unsealed,
          timeRange: lo.flatMap { l in hi.map { l...$0 } },
          bytesOnDisk: segments.reduce(0) { $0 + $1.bytes },
          rawBytes: segments.reduce(0) { $0 + $1.rawBytes },
          retention: try catalog.retention(table: schema.name)))
    }
    return out
  }

  /// Bytes of the write-ahead log files: the rows not yet sealed, as logged (0 when the log
  /// directory cannot be listed).
  public func walBytes() -> Int {
    guard let names = try? fs.list(layout.wal) else { return 0 }
    return names.filter { $0.hasSuffix(".wal") }.reduce(0) {
      $0 + (fs.size(layout.wal + "/" + $1) ?? 0)
    }
  }

  /// Reads every block of every segment of `table`, checking checksums; returns the problems
  /// found (empty when the table is sound).
  public func verify(table: String) throws(StorageError) -> [StorageError] {
    let snap = try snapshot(table: table)
    var problems: [StorageError] = []
    let all = Array(snap.schema.columns.indices)
    for u in snap.units {
      do throws(StorageError) { _ = try u.read(columns: all) } catch { problems.append(error) }
    }
    return problems
  }
}

extension StoreReader {
  /// The state blobs another module saved under `scope` with ``FlowStore/putState(scope:key:value:)``.
  ///
  /// - Throws: ``StorageError/catalog(_:)`` when the catalog cannot be read.
  public func state(scope: String) throws(StorageError) -> [(key: String, value: [UInt8])] {
    try catalog.state(scope: scope)
  }
}
