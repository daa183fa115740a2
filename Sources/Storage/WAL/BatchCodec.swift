/// The raw serialisation of a ``ColumnBatch`` inside a WAL entry: cheap to write, no compression.
///
/// Layout: table name (varint length + UTF-8), schema version u32, row count u32, column count
/// u16, then per column: flags u8 (bit 0 present, bit 1 validity follows, bit 2 one shared
/// value, bit 3 IPv4 addresses as u32), type u8, the validity words (u64 × ceil(rows/64)), and
/// the values: fixed-width integers in host byte order, addresses as high u64 + low u64 (or one
/// value, or u32 each; see BatchCodec+Compact.swift), strings as varint length + UTF-8. The
/// writer never builds the payload in one buffer: ``layout(_:meta:pieces:)`` describes it as
/// pieces written with `writev(2)`.
enum BatchCodec {
  /// Decodes a batch against `schemas` (by table name); nil when malformed or unknown.
  static func decode(_ bytes: UnsafeRawBufferPointer, schemas: [String: TableSchema])
    -> ColumnBatch?
  {
    do {
      var r = ByteReader(bytes)
      let name = try r.string()
      _ = try r.u32()
      let rows = Int(try r.u32())
      let nc = Int(try r.u16())
      guard let schema = schemas[name], rows <= bytes.count * 8 + 8 else { return nil }
      var cols = [ColumnVector?](repeating: nil, count: schema.columns.count)
      for i in 0..<nc {
        let flags = try r.u8()
        guard let type = ColumnType(rawValue: try r.u8()) else { return nil }
        if flags & 1 == 0 { continue }
        var validity: Bitmap? = nil
        if flags & 2 != 0 {
          var words: [UInt64] = []
          for _ in 0..<((rows + 63) / 64) { words.append(try r.u64()) }
          validity = Bitmap(words: words, count: rows)
        }
        func ints<T: FixedWidthInteger>(_: T.Type) throws(ByteReader.Truncated) -> [T] {
          let raw = try r.bytes(rows * MemoryLayout<T>.size)
          return [T](unsafeUninitializedCapacity: rows) { buf, n in
            UnsafeMutableRawBufferPointer(buf).copyMemory(from: raw)
            n = rows
          }
        }
        let values: ColumnValues
        if flags & (flagConstant | flagIPv4) != 0 {
          guard let v = try readCompact(type, flags: flags, rows: rows, from: &r) else {
            return nil
          }
          values = v
        } else {
          switch type {
          case .uint8: values = .uint8(try ints(UInt8.self))
          case .uint16: values = .uint16(try ints(UInt16.self))
          case .uint32: values = .uint32(try ints(UInt32.self))
          case .uint64: values = .uint64(try ints(UInt64.self))
          case .timestamp: values = .timestamp(try ints(Int64.self))
          case .ip:
            let words = try ints(UInt64.self) + (try ints(UInt64.self))
            // The two reads above took 2*rows words in order high0, low0, high1, low1, ...
            values = .ip((0..<rows).map { IPAddress(high: words[2 * $0], low: words[2 * $0 + 1]) })
          case .string:
            var a: [String] = []
            a.reserveCapacity(rows)
            for _ in 0..<rows { a.append(try r.string()) }
            values = .string(a)
          }
        }
        if i < schema.columns.count, schema.columns[i].type == type {
          cols[i] = ColumnVector(values, validity: validity)
        }
      }
      return ColumnBatch(schema: schema, rowCount: rows, positional: cols)
    } catch {
      return nil
    }
  }
}
