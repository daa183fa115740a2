/// What a sealed segment holds, as recorded in the catalog.
public struct SegmentSummary: Sendable, Equatable {
  /// The file name inside the segments directory.
  public var file: String
  /// The table.
  public var table: String
  /// The start of the time partition the segment belongs to (ms).
  public var partition: Int64
  /// Rows stored.
  public var rows: Int
  /// Smallest and largest `time` value (ms).
  public var minTime: Int64
  public var maxTime: Int64
  /// Bytes of the file.
  public var bytes: Int
  /// Bytes of the columns before LZ4 and light-weight encoding (8 per integer, 16 per address,
  /// UTF-8 length per string), for the compression ratio.
  public var rawBytes: Int
  /// Per column: (name, stored bytes, null count).
  public var columns: [ColumnSummary]
}

/// Per-column statistics of a segment.
public struct ColumnSummary: Sendable, Equatable {
  /// The column name.
  public var name: String
  /// Bytes stored for this column across blocks.
  public var storedBytes: Int
  /// NULL rows across blocks.
  public var nullCount: Int
}

/// Encodes a batch into the segment file format.
enum SegmentWriter {
  /// Encodes `batch` (rows already in time order) into file bytes, `blockRows` rows per block.
  static func encode(_ batch: ColumnBatch, blockRows: Int) -> (bytes: [UInt8], footer: SegmentFooter)
  {
    encode(batch, rows: 0..<batch.rowCount, blockRows: blockRows)
  }

  /// Encodes rows `rows` of `batch` (already in time order).
  static func encode(_ batch: ColumnBatch, rows: Range<Int>, blockRows: Int)
    -> (bytes: [UInt8], footer: SegmentFooter)
  {
    let schema = batch.schema
    var file = ByteWriter(capacity: rows.count * 12 + 4096)
    file.append(SegmentFormat.headMagic)
    var blocks: [BlockMeta] = []
    let timeIndex = schema.index(of: "time")
    for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
      let range = start..<min(rows.upperBound, start + blockRows)
      var reference: ArraySlice<Int64>? = nil
      if let t = timeIndex, let tv = batch.columns[t], case .timestamp(let a) = tv.values,
        tv.validity == nil
      {
        reference = a[range]
      }
      var chunks: [ChunkMeta] = []
      for (i, column) in batch.columns.enumerated() {
        guard let column else {
          chunks.append(nullChunk(at: file.bytes.count, rows: range.count))
          continue
        }
        let zone = ZoneMap(of: column, rows: range)
        if zone.nullCount == range.count {
          chunks.append(nullChunk(at: file.bytes.count, rows: range.count))
          continue
        }
        let raw = ColumnCodec.encode(
          column, rows: range, reference: i == timeIndex ? nil : reference)
        let packed = LZ4.compress(raw)
        let stored = packed ?? raw
        chunks.append(
          ChunkMeta(
            offset: UInt64(file.bytes.count), storedLength: UInt32(stored.count),
            rawLength: UInt32(raw.count),
            compression: packed == nil ? SegmentFormat.uncompressed : SegmentFormat.lz4,
            checksum: checksum64(stored), zone: zone))
        file.append(stored)
      }
      blocks.append(BlockMeta(rows: range.count, chunks: chunks))
    }
    let footer = SegmentFooter(
      table: schema.name, schemaVersion: schema.version,
      columns: schema.columns.map { ($0.name, $0.type) }, blocks: blocks)
    let fb = footer.encoded()
    let footerOffset = UInt64(file.bytes.count)
    file.append(fb)
    file.u64(footerOffset)
    file.u32(UInt32(fb.count))
    file.u64(checksum64(fb))
    file.append(SegmentFormat.tailMagic)
    return (file.bytes, footer)
  }

  static func nullChunk(at offset: Int, rows: Int) -> ChunkMeta {
    ChunkMeta(
      offset: UInt64(offset), storedLength: 0, rawLength: 0, compression: 0, checksum: 0,
      zone: ZoneMap(bounds: .none, nullCount: rows, rowCount: rows))
  }

  /// Raw (unencoded) size of a column, for compression ratios.
  static func rawSize(_ c: ColumnVector?) -> Int {
    guard let c else { return 0 }
    switch c.values {
    case .uint8(let a): return a.count
    case .uint16(let a): return a.count * 2
    case .uint32(let a): return a.count * 4
    case .uint64(let a): return a.count * 8
    case .timestamp(let a): return a.count * 8
    case .ip(let a): return a.count * 16
    case .string(let a): return a.reduce(0) { $0 + $1.utf8.count }
    }
  }
}
