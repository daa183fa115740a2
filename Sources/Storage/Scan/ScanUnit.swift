/// Where a scan unit's rows come from: a sealed segment block or rows not yet sealed.
public protocol BlockSource: Sendable {
  /// Reads the columns at `columns` (schema positions) for block `block`, decoding only those.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` when a checksum fails, or a
  ///   system error when the file cannot be read.
  func read(block: Int, columns: [Int]) throws(StorageError) -> [ColumnVector]

  /// Reads string column `column` (schema position) of block `block` as its dictionary and
  /// one code per row; nil when the source keeps no dictionary (then ``read(block:columns:)``).
  func readStrings(block: Int, column: Int) throws(StorageError) -> StringCodes?

  /// Reads address column `column` of block `block`, as IPv4 values where the block allows.
  func readAddresses(block: Int, column: Int) throws(StorageError) -> AddressColumn

  /// Reads the columns at `columns` for the rows at `rows` (ascending) of block `block` only.
  func read(block: Int, columns: [Int], rows: [Int]) throws(StorageError) -> [ColumnVector]
}

extension BlockSource {
  /// Sources without dictionaries return nil.
  public func readStrings(block: Int, column: Int) throws(StorageError) -> StringCodes? { nil }

  /// Sources without a narrow form return the column decoded.
  public func readAddresses(block: Int, column: Int) throws(StorageError) -> AddressColumn {
    .decoded(try read(block: block, columns: [column])[0])
  }
}

/// An address column of a block as read: host-order IPv4 values when the block holds IPv4
/// addresses only, or else decoded addresses.
public enum AddressColumn: Sendable {
  /// IPv4 values (`validity` marks NULL rows; nil: none).
  case v4([UInt32], validity: Bitmap?)
  /// Any addresses.
  case decoded(ColumnVector)
}

/// A string column of a block as stored: its distinct values and, per row, the index of its
/// value (0 for NULL rows, which `validity` marks).
public struct StringCodes: Sendable, Equatable {
  /// The distinct values.
  public var entries: [String]
  /// One index into `entries` per row.
  public var codes: [UInt32]
  /// Which rows are present; nil means no row is NULL.
  public var validity: Bitmap?

  /// Creates dictionary-coded strings.
  public init(entries: [String], codes: [UInt32], validity: Bitmap?) {
    self.entries = entries
    self.codes = codes
    self.validity = validity
  }

  /// `rows` NULLs (one placeholder entry, so every code is a valid index).
  public static func nulls(_ rows: Int) -> StringCodes {
    StringCodes(
      entries: [""], codes: [UInt32](repeating: 0, count: rows),
      validity: Bitmap(count: rows, value: false))
  }
}

/// One independently readable run of rows of a table: a block of a sealed segment, or a slice of
/// the rows appended but not yet sealed. Scan units are the unit of parallelism and of pruning.
public struct ScanUnit: Sendable {
  /// The segment file name, or `"memory"` for rows not yet sealed.
  public let segment: String
  /// The block number inside the segment.
  public let block: Int
  /// The number of rows.
  public let rowCount: Int
  /// Zone maps by schema column position (nil where none is kept).
  public let zones: [ZoneMap?]
  let source: any BlockSource

  /// Creates a unit over `source`.
  public init(
    segment: String, block: Int, rowCount: Int, zones: [ZoneMap?], source: any BlockSource
  ) {
    self.segment = segment
    self.block = block
    self.rowCount = rowCount
    self.zones = zones
    self.source = source
  }

  /// Decodes the columns at the given schema positions, in that order.
  ///
  /// - Throws: ``StorageError`` when the data cannot be read or fails its checksum.
  public func read(columns: [Int]) throws(StorageError) -> [ColumnVector] {
    try source.read(block: block, columns: columns)
  }

  /// Reads address column `column`, as IPv4 values when the block holds no IPv6 address.
  ///
  /// - Throws: ``StorageError`` when the data cannot be read or fails its checksum.
  public func readAddresses(column: Int) throws(StorageError) -> AddressColumn {
    try source.readAddresses(block: block, column: column)
  }

  /// Reads string column `column` as its dictionary and codes, when the source keeps one.
  ///
  /// - Throws: ``StorageError`` when the data cannot be read or fails its checksum.
  public func readStrings(column: Int) throws(StorageError) -> StringCodes? {
    try source.readStrings(block: block, column: column)
  }
}

/// Rows held in memory, served as one block.
public struct MemoryBlockSource: BlockSource {
  let batch: ColumnBatch

  /// Wraps a batch.
  public init(_ batch: ColumnBatch) { self.batch = batch }

  public func read(block: Int, columns: [Int]) throws(StorageError) -> [ColumnVector] {
    columns.map {
      batch.columns[$0] ?? .nulls(batch.schema.columns[$0].type, count: batch.rowCount)
    }
  }

  /// Scan units over `batch`, `unitRows` rows each, with zone maps computed from the data.
  public static func units(of batch: ColumnBatch, unitRows: Int = 16384) -> [ScanUnit] {
    stride(from: 0, to: batch.rowCount, by: unitRows).enumerated().map { k, start in
      let range = start..<min(batch.rowCount, start + unitRows)
      let cols = batch.columns.enumerated().map { i, c in
        (c ?? .nulls(batch.schema.columns[i].type, count: batch.rowCount)).slice(range)
      }
      let slice = ColumnBatch(schema: batch.schema, rowCount: range.count, positional: cols)
      return ScanUnit(
        segment: "memory", block: k, rowCount: range.count, zones: cols.map { ZoneMap(of: $0) },
        source: MemoryBlockSource(slice))
    }
  }
}

/// A consistent view of one table: its schema and every scan unit visible when it was taken.
public struct Snapshot: Sendable {
  /// The table's schema.
  public let schema: TableSchema
  /// Every unit, sealed segments first, in time order as far as the store knows it.
  public let units: [ScanUnit]
  /// Segments whose time range lies wholly outside the requested range (counted for EXPLAIN).
  public let prunedSegments: Int
  /// Segments kept.
  public let keptSegments: Int

  /// Creates a snapshot.
  public init(
    schema: TableSchema, units: [ScanUnit], prunedSegments: Int = 0, keptSegments: Int = 0
  ) {
    self.schema = schema
    self.units = units
    self.prunedSegments = prunedSegments
    self.keptSegments = keptSegments
  }
}
