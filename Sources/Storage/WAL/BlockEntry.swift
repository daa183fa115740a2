/// The payload of a WAL entry holding rows already encoded into segment blocks: an append in
/// time order is encoded before it is logged (``OrderedRows``), and logging the encoded blocks
/// writes about 12 bytes a flow instead of the columns' 50-odd.
///
/// Layout: footer length u32, a segment footer (FORMAT.md) whose chunk offsets count from the
/// first byte after it, then the blocks' bytes back to back.
enum BlockEntry {
  /// The entry magic, `WALB`.
  static let magic: UInt32 = 0x424C_4157

  /// The footer length and footer of `blocks` (`rows[k]` rows in `blocks[k]`) of a table with
  /// `schema`: everything of the payload but the blocks' bytes.
  static func head(_ blocks: [SegmentWriter.EncodedBlock], rows: [Int], schema: TableSchema)
    -> [UInt8]
  {
    let footer = SegmentWriter.footer(blocks, rows: rows, schema: schema, from: 0).footer.encoded()
    var w = ByteWriter(capacity: footer.count + 4)
    w.u32(UInt32(footer.count))
    w.append(footer)
    return w.bytes
  }

  /// The rows of a payload as one batch of the table's schema in `schemas`; nil when it is
  /// malformed, a chunk fails its checksum, or the table is unknown. A column whose name or
  /// type differs from the schema's at its position reads as NULL.
  static func decode(_ payload: UnsafeRawBufferPointer, schemas: [String: TableSchema])
    -> ColumnBatch?
  {
    guard payload.count >= 4 else { return nil }
    let n = Int(UInt32(littleEndian: payload.loadUnaligned(as: UInt32.self)))
    guard n <= payload.count - 4,
      let footer = try? SegmentFooter(
        decoding: UnsafeRawBufferPointer(rebasing: payload[4..<4 + n])),
      let schema = schemas[footer.table]
    else { return nil }
    let data = UnsafeRawBufferPointer(rebasing: payload[(4 + n)...])
    let same = schema.columns.indices.map { i in
      i < footer.columns.count && footer.columns[i].name == schema.columns[i].name
        && footer.columns[i].type == schema.columns[i].type
    }
    let timeIndex = schema.timeIndex
    var rows = GatheredRows(schema: schema, capacity: footer.blocks.reduce(0) { $0 + $1.rows })
    for block in footer.blocks {
      guard block.chunks.count == footer.columns.count else { return nil }
      func column(_ i: Int, reference: () -> [Int64]?) -> ColumnVector?? {
        // An entry of an older schema version has fewer columns: the newer ones read as NULL.
        guard same[i] else { return .some(nil) }
        let chunk = block.chunks[i]
        guard chunk.storedLength > 0 else { return .some(nil) }
        let start = Int(clamping: chunk.offset)
        guard start <= data.count, Int(chunk.storedLength) <= data.count - start else { return nil }
        let stored = UnsafeRawBufferPointer(rebasing: data[start..<start + Int(chunk.storedLength)])
        guard
          let v = try? SegmentChunk.decode(
            stored, chunk: chunk, type: schema.columns[i].type, rows: block.rows,
            reference: reference)
        else { return nil }
        return .some(v)
      }
      var cols = [ColumnVector?](repeating: nil, count: schema.columns.count)
      var time: [Int64]? = nil
      if let t = timeIndex {
        guard let v = column(t, reference: { nil }) else { return nil }
        if let v, v.validity == nil, case .timestamp(let a) = v.values { time = a }
        cols[t] = v
      }
      for i in schema.columns.indices where i != timeIndex {
        guard let v = column(i, reference: { time }) else { return nil }
        cols[i] = v
      }
      rows.append(ColumnBatch(schema: schema, rowCount: block.rows, positional: cols))
    }
    return rows.batch
  }
}
