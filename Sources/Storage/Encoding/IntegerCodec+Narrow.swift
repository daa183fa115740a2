extension IntegerCodec {
  /// Decodes `count` values straight into a narrower integer type, without a 64-bit scratch
  /// vector for the common kinds (constant, frame, dictionary). Values are truncated to `T`.
  static func decode<T: FixedWidthInteger>(
    _ r: inout ByteReader, count: Int, narrowingInto out: UnsafeMutablePointer<T>
  ) throws(ByteReader.Truncated) {
    let start = r.offset
    guard let kind = Kind(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
    switch kind {
    case .constant:
      out.update(repeating: T(truncatingIfNeeded: try r.u64()), count: count)
    case .frame:
      try Frame.read(&r, count: count, narrowingInto: out) { T(truncatingIfNeeded: $0) }
    case .dictionary:
      let n = Int(try r.u32())
      guard n > 0, n <= maxDictionary else { throw ByteReader.Truncated() }
      var wide = [UInt64](repeating: 0, count: n)
      try wide.withUnsafeMutableBufferPointer { (d) throws(ByteReader.Truncated) in
        try decode(&r, count: n, into: d.baseAddress!)
      }
      let dict = wide.map { T(truncatingIfNeeded: $0) }
      try dict.withUnsafeBufferPointer { (d) throws(ByteReader.Truncated) in
        try Frame.read(&r, count: count, narrowingInto: out) { code in
          code < UInt64(n) ? d[Int(code)] : nil
        }
      }
    case .delta:
      r.offset = start
      var wide = [UInt64](repeating: 0, count: count)
      try wide.withUnsafeMutableBufferPointer { (p) throws(ByteReader.Truncated) in
        try decode(&r, count: count, into: p.baseAddress!)
      }
      for i in 0..<count { out[i] = T(truncatingIfNeeded: wide[i]) }
    }
  }
}

extension IntegerCodec.Frame {
  /// Reads a frame body, passing each value through `map` (nil: the data is malformed).
  @inline(__always)
  static func read<T>(
    _ r: inout ByteReader, count: Int, narrowingInto out: UnsafeMutablePointer<T>,
    _ map: (UInt64) -> T?
  ) throws(ByteReader.Truncated) {
    let base = try r.u64()
    let width = Int(try r.u8())
    guard width <= 56 || width == 64 else { throw ByteReader.Truncated() }
    let packed = try r.bytes(BitPacking.packedSize(count: count, width: width))
    let src = packed.baseAddress!
    if width == 0 {
      guard let v = map(base) else { throw ByteReader.Truncated() }
      out.update(repeating: v, count: count)
    } else if width == 64 {
      for i in 0..<count {
        let w = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
        guard let v = map(base &+ w) else { throw ByteReader.Truncated() }
        out[i] = v
      }
    } else {
      let mask: UInt64 = (1 << UInt64(width)) - 1
      var bit = 0
      for i in 0..<count {
        let word = UInt64(
          littleEndian: src.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
        guard let v = map(base &+ (word >> UInt64(bit & 7)) & mask) else {
          throw ByteReader.Truncated()
        }
        out[i] = v
        bit += width
      }
    }
    let exceptions = Int(try r.u32())
    guard exceptions <= count else { throw ByteReader.Truncated() }
    let positions = try r.bytes(exceptions * 4)
    let offsets = try r.bytes(exceptions * 8)
    for k in 0..<exceptions {
      let pos = Int(
        UInt32(littleEndian: positions.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)))
      let off = UInt64(littleEndian: offsets.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
      guard pos < count, let v = map(base &+ off) else { throw ByteReader.Truncated() }
      out[pos] = v
    }
  }
}
