extension ColumnCodec {
  /// Decodes only the rows at `rows` (ascending, below `count`) of a chunk of `count` rows of
  /// `type`: the result has `rows.count` values, equal to those rows of ``decode(_:type:count:reference:)``'s
  /// result, NULL placeholders included. `reference` gives the block's `time` column at those
  /// rows, for a timestamp stored as differences from it. Strings become `String`s only for
  /// those rows, and bit-packed values are read at their positions without unpacking the rest.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, type: ColumnType, count: Int, rows: [Int],
    reference: () -> [Int64]?
  ) throws(Malformed) -> ColumnVector {
    do {
      var r = ByteReader(bytes)
      let (validity, mode) = try header(&r, count: count)
      let picked = validity.map { $0.picking(rows) }
      let n = rows.count
      var wide = [UInt64](repeating: 0, count: n)
      func stream() throws(ByteReader.Truncated) {
        try rows.withUnsafeBufferPointer { (p) throws(ByteReader.Truncated) in
          try wide.withUnsafeMutableBufferPointer { (o) throws(ByteReader.Truncated) in
            try IntegerCodec.decode(&r, count: count, rows: p, into: o.baseAddress!)
          }
        }
      }
      let values: ColumnValues
      switch type {
      case .uint8:
        try stream()
        values = .uint8(narrow(wide))
      case .uint16:
        try stream()
        values = .uint16(narrow(wide))
      case .uint32:
        try stream()
        values = .uint32(narrow(wide))
      case .uint64:
        try stream()
        values = .uint64(wide)
      case .timestamp:
        try stream()
        var out = wide.map { Int64(bitPattern: $0 ^ signBit) }
        if mode == 1 {
          guard let ref = reference(), ref.count == n else { throw Malformed() }
          for k in 0..<n { out[k] = out[k] &+ ref[k] }
        }
        values = .timestamp(out)
      case .ip:
        let family = try r.u8()
        try stream()
        if family == 4 {
          values = .ip(wide.map { IPAddress(v4: UInt32(truncatingIfNeeded: $0)) })
        } else {
          let high = wide
          try stream()
          values = .ip((0..<n).map { IPAddress(high: high[$0], low: wide[$0]) })
        }
      case .string:
        let d = try dictionary(&r, count: count, validity: validity)
        values = .string(
          rows.map { (validity?[$0] ?? true) ? d.entries[Int(d.codes[$0])] : "" })
      }
      return ColumnVector(values, validity: picked)
    } catch {
      throw Malformed()
    }
  }
}
