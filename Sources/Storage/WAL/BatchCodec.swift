/// The raw serialisation of a ``ColumnBatch`` inside a WAL entry: cheap to write, no compression.
///
/// Layout: table name (varint length + UTF-8), schema version u32, row count u32, column count
/// u16, then per column: flags u8 (bit 0 present, bit 1 validity follows), type u8, the validity
/// words (u64 × ceil(rows/64)), and the values: fixed-width integers in host byte order, addresses as
/// high u64 + low u64, strings as varint length + UTF-8.
enum BatchCodec {
  static func encode(_ batch: ColumnBatch, into w: inout ByteWriter) {
    w.string(batch.schema.name)
    w.u32(UInt32(batch.schema.version))
    w.u32(UInt32(batch.rowCount))
    w.u16(UInt16(batch.columns.count))
    for (i, c) in batch.columns.enumerated() {
      guard let c else {
        w.u8(0)
        w.u8(batch.schema.columns[i].type.rawValue)
        continue
      }
      w.u8(c.validity == nil ? 1 : 3)
      w.u8(c.type.rawValue)
      if let v = c.validity { for word in v.words { w.u64(word) } }
      // Values are copied in host order: the log is read back by the same machine.
      func raw<T>(_ a: [T]) { a.withUnsafeBytes { w.append($0) } }
      switch c.values {
      case .uint8(let a): raw(a)
      case .uint16(let a): raw(a)
      case .uint32(let a): raw(a)
      case .uint64(let a): raw(a)
      case .timestamp(let a): raw(a)
      case .ip(let a): raw(a)
      case .string(let a): for s in a { w.string(s) }
      }
    }
  }

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
