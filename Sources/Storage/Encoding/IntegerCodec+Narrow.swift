extension IntegerCodec {
  /// Decodes `count` values straight into `T` (truncating), without a 64-bit scratch vector
  /// for the kinds that need none (constant, frame, dictionary); delta goes through one.
  static func decode<T: FixedWidthInteger>(
    _ r: inout ByteReader, count: Int, narrowingInto out: UnsafeMutablePointer<T>
  ) throws(ByteReader.Truncated) {
    let start = r.offset
    guard let kind = Kind(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
    switch kind {
    case .constant:
      out.update(repeating: T(truncatingIfNeeded: try r.u64()), count: count)
    case .frame:
      try Frame.read(&r, count: count, into: out)
    case .dictionary:
      let n = Int(try r.u32())
      guard n > 0, n <= maxDictionary else { throw ByteReader.Truncated() }
      var wide = [UInt64](unsafeUninitializedCapacity: n) { _, k in k = n }
      try wide.withUnsafeMutableBufferPointer { (d) throws(ByteReader.Truncated) in
        try decode(&r, count: n, into: d.baseAddress!)
      }
      let entries = [T](unsafeUninitializedCapacity: n) { buf, k in
        for i in 0..<n { buf[i] = T(truncatingIfNeeded: wide[i]) }
        k = n
      }
      try entries.withUnsafeBufferPointer { (d) throws(ByteReader.Truncated) in
        try Frame.readCodes(&r, count: count, dictionary: d, into: out)
      }
    case .delta:
      r.offset = start
      if T.self == UInt64.self {
        try decode(
          &r, count: count,
          into: UnsafeMutableRawPointer(out).assumingMemoryBound(
            to: UInt64.self))
        return
      }
      var wide = [UInt64](unsafeUninitializedCapacity: count) { _, k in k = count }
      try wide.withUnsafeMutableBufferPointer { (p) throws(ByteReader.Truncated) in
        try decode(&r, count: count, into: p.baseAddress!)
      }
      for i in 0..<count { out[i] = T(truncatingIfNeeded: wide[i]) }
    }
  }
}
