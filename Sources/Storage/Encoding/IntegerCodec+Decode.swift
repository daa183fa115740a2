extension IntegerCodec {
  /// Decodes `count` values written by ``encode(_:into:allowDictionary:)`` into `out`.
  static func decode(
    _ r: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>
  ) throws(ByteReader.Truncated) {
    guard r.remaining > 0, r.base[r.offset] == Kind.delta.rawValue else {
      try decode(&r, count: count, narrowingInto: out)
      return
    }
    r.offset += 1
    let first = try r.u64()
    try Frame.read(&r, count: count, into: out)
    var acc = first
    out[0] = first
    for i in 1..<max(count, 1) {
      let z = out[i]
      acc = acc &+ UInt64(bitPattern: Int64(bitPattern: z &>> 1) ^ -Int64(bitPattern: z & 1))
      out[i] = acc
    }
  }
}
