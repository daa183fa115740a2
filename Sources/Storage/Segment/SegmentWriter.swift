import Dispatch

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
  static func encode(_ batch: ColumnBatch, blockRows: Int) -> (
    bytes: [UInt8], footer: SegmentFooter
  ) {
    encode(batch, rows: 0..<batch.rowCount, blockRows: blockRows)
  }

  /// Encodes rows `rows` of `batch` (already in time order). Blocks are encoded on up to
  /// `threads` threads and laid out in order.
  static func encode(_ batch: ColumnBatch, rows: Range<Int>, blockRows: Int, threads: Int = 1)
    -> (bytes: [UInt8], footer: SegmentFooter)
  {
    let blocks = stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows).map {
      SealBlock(batch, rows: $0..<min(rows.upperBound, $0 + blockRows))
    }
    return encode(blocks, schema: batch.schema, threads: threads)
  }

  /// Encodes `blocks` (rows already in time order) of a table with `schema`, on up to
  /// `threads` threads, and lays them out in order. A block of several pieces is gathered by
  /// the thread that encodes it.
  static func encode(_ sources: [SealBlock], schema: TableSchema, threads: Int = 1)
    -> (bytes: [UInt8], footer: SegmentFooter)
  {
    let (parts, footer) = encodeParts(sources, schema: schema, threads: threads)
    var file = [UInt8]()
    file.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for p in parts { file += p }
    return (file, footer)
  }

  /// ``encode(_:schema:threads:)``'s file as the runs of bytes that make it up, in order (the
  /// head, each block's bytes, the footer and tail), for a vectored write that does not join
  /// them first.
  static func encodeParts(_ sources: [SealBlock], schema: TableSchema, threads: Int = 1)
    -> (parts: [[UInt8]], footer: SegmentFooter)
  {
    layout(encodeBlocks(sources, threads: threads), rows: sources.map(\.rowCount), schema: schema)
  }

  /// Encodes each block of `sources`, on up to `threads` threads.
  static func encodeBlocks(_ sources: [SealBlock], threads: Int = 1) -> [EncodedBlock] {
    var encoded = [EncodedBlock](
      repeating: EncodedBlock(chunks: [], bytes: []), count: sources.count)
    if threads > 1 && sources.count > 1 {
      encoded.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let slots = out  // each iteration writes only its own slot
        DispatchQueue.concurrentPerform(iterations: sources.count) { k in
          let buffers = ChunkBuffers.pool.take()
          slots[k] = encodeBlock(sources[k], buffers: buffers)
          ChunkBuffers.pool.give(buffers)
        }
      }
    } else {
      let buffers = ChunkBuffers.pool.take()
      for k in sources.indices { encoded[k] = encodeBlock(sources[k], buffers: buffers) }
      ChunkBuffers.pool.give(buffers)
    }
    return encoded
  }

  /// The file made of blocks encoded already (`rows[k]` rows in `encoded[k]`), as the runs of
  /// bytes that make it up: the head, each block's bytes, the footer and tail.
  static func layout(_ encoded: [EncodedBlock], rows: [Int], schema: TableSchema)
    -> (parts: [[UInt8]], footer: SegmentFooter)
  {
    var parts: [[UInt8]] = [SegmentFormat.headMagic]
    parts.reserveCapacity(encoded.count + 2)
    parts += encoded.map(\.bytes)
    let (footer, size) = Self.footer(
      encoded, rows: rows, schema: schema, from: SegmentFormat.headMagic.count)
    let fb = footer.encoded()
    var tail = ByteWriter(capacity: fb.count + 32)
    tail.append(fb)
    tail.u64(UInt64(size))
    tail.u32(UInt32(fb.count))
    tail.u64(checksum64(fb))
    tail.append(SegmentFormat.tailMagic)
    parts.append(tail.bytes)
    return (parts, footer)
  }

  /// The footer of `encoded` (`rows[k]` rows in block `k`) laid out back to back from byte
  /// `start`, whose chunk offsets count from the file's (or entry's) first byte, and the byte
  /// just past the last block.
  static func footer(
    _ encoded: [EncodedBlock], rows: [Int], schema: TableSchema, from start: Int
  ) -> (footer: SegmentFooter, end: Int) {
    var size = start
    var blocks: [BlockMeta] = []
    blocks.reserveCapacity(encoded.count)
    for (k, block) in encoded.enumerated() {
      let metas = block.chunks.map { c in
        var m = c
        m.offset += UInt64(size)
        return m
      }
      blocks.append(BlockMeta(rows: rows[k], chunks: metas))
      size += block.bytes.count
    }
    let footer = SegmentFooter(
      table: schema.name, schemaVersion: schema.version,
      columns: schema.columns.map { ($0.name, $0.type) }, blocks: blocks)
    return (footer, size)
  }

  /// One encoded block: its chunks' metadata (offsets relative to the block's first byte) and
  /// their stored bytes, back to back.
  struct EncodedBlock {
    var chunks: [ChunkMeta]
    var bytes: [UInt8]
  }

  /// Encodes one block given by its source (gathered first when it has several pieces).
  static func encodeBlock(_ source: SealBlock, buffers: ChunkBuffers) -> EncodedBlock {
    let (batch, rows) = source.materialized()
    return encodeBlock(batch, rows: rows, buffers: buffers)
  }

  /// Encodes one block, every column into one byte run, with the scratch memory of `buffers`.
  /// A NULL chunk's offset is where the next stored chunk would start, as before.
  static func encodeBlock(_ batch: ColumnBatch, rows range: Range<Int>, buffers: ChunkBuffers)
    -> EncodedBlock
  {
    let timeIndex = batch.schema.timeIndex
    var reference: ArraySlice<Int64>? = nil
    if let t = timeIndex, let tv = batch.columns[t], case .timestamp(let a) = tv.values,
      tv.validity == nil
    {
      reference = a[range]
    }
    // About the stored size of a block (sealed flows take 12 bytes a row), so that it seldom
    // grows.
    var out = ByteWriter(capacity: range.count * 16)
    var chunks: [ChunkMeta] = []
    chunks.reserveCapacity(batch.columns.count)
    for (i, column) in batch.columns.enumerated() {
      guard let column else {
        chunks.append(nullChunk(at: out.bytes.count, rows: range.count))
        continue
      }
      let nulls = column.validity.map { range.count - $0.setCount(in: range) } ?? 0
      if nulls == range.count {
        chunks.append(nullChunk(at: out.bytes.count, rows: range.count))
        continue
      }
      let bounds = ColumnCodec.encode(
        column, rows: range, reference: i == timeIndex ? nil : reference, into: buffers)
      // The encoder's bounds when it saw the plain values, else a pass of the zone map's own.
      let zone =
        bounds.map { ZoneMap(bounds: $0, nullCount: nulls, rowCount: range.count) }
        ?? ZoneMap(of: column, rows: range)
      let start = out.bytes.count
      let rawCount = buffers.chunk.bytes.count
      let packed = buffers.chunk.bytes.withUnsafeBytes {
        LZ4.compress($0, into: &buffers.compressed)
      }
      if let packed {
        buffers.compressed.withUnsafeBytes {
          out.append(UnsafeRawBufferPointer(rebasing: $0[..<packed]))
        }
      } else {
        out.append(buffers.chunk.bytes)
      }
      let stored = out.bytes.withUnsafeBytes {
        checksum64(UnsafeRawBufferPointer(rebasing: $0[start...]))
      }
      chunks.append(
        ChunkMeta(
          offset: UInt64(start), storedLength: UInt32(out.bytes.count - start),
          rawLength: UInt32(rawCount),
          compression: packed == nil ? SegmentFormat.uncompressed : SegmentFormat.lz4,
          checksum: stored, zone: zone))
    }
    return EncodedBlock(chunks: chunks, bytes: out.bytes)
  }

  static func nullChunk(at offset: Int, rows: Int) -> ChunkMeta {
    ChunkMeta(
      offset: UInt64(offset), storedLength: 0, rawLength: 0, compression: 0, checksum: 0,
      zone: ZoneMap(bounds: .none, nullCount: rows, rowCount: rows))
  }

  /// Raw (unencoded) size of rows `rows` of a column, for compression ratios.
  static func rawSize(_ c: ColumnVector?, rows: Range<Int>) -> Int {
    guard let c else { return 0 }
    switch c.values {
    case .uint8: return rows.count
    case .uint16: return rows.count * 2
    case .uint32: return rows.count * 4
    case .uint64, .timestamp: return rows.count * 8
    case .ip: return rows.count * 16
    case .string(let a): return a[rows].reduce(0) { $0 + $1.utf8.count }
    }
  }
}
