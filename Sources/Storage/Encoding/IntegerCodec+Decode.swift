extension IntegerCodec {
  /// Decodes `count` values written by ``encode(_:into:allowDictionary:)`` into `out`.
  static func decode(
    _ r: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>
  ) throws(ByteReader.Truncated) {
    guard let kind = Kind(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
    switch kind {
    case .constant:
      out.update(repeating: try r.u64(), count: count)
    case .frame:
      try Frame.read(&r, count: count, into: out)
    case .delta:
      let first = try r.u64()
      try Frame.read(&r, count: count, into: out)
      var acc = first
      out[0] = first
      for i in 1..<max(count, 1) {
        let z = out[i]
        acc = acc &+ UInt64(bitPattern: Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
        out[i] = acc
      }
    case .dictionary:
      let n = Int(try r.u32())
      guard n > 0, n <= maxDictionary else { throw ByteReader.Truncated() }
      var dict = [UInt64](repeating: 0, count: n)
      try dict.withUnsafeMutableBufferPointer { (d) throws(ByteReader.Truncated) in
        try decode(&r, count: n, into: d.baseAddress!)
      }
      try Frame.read(&r, count: count, into: out)
      for i in 0..<count {
        let code = Int(truncatingIfNeeded: out[i])
        guard code >= 0 && code < n else { throw ByteReader.Truncated() }
        out[i] = dict[code]
      }
    }
  }
}
