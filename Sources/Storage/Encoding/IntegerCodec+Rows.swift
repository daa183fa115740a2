extension IntegerCodec {
  /// Decodes only the values at `rows` (ascending positions below `count`) of a stream of
  /// `count` values: `out[k]` is the value at `rows[k]`. The reader ends after the stream, as
  /// ``decode(_:count:into:)`` leaves it. Frame and dictionary streams are read at those
  /// positions alone (bit-packed values are at fixed offsets); a delta stream is decoded whole,
  /// since each value depends on the ones before it.
  static func decode(
    _ r: inout ByteReader, count: Int, rows: UnsafeBufferPointer<Int>,
    into out: UnsafeMutablePointer<UInt64>
  ) throws(ByteReader.Truncated) {
    let start = r.offset
    guard let kind = Kind(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
    switch kind {
    case .constant:
      out.update(repeating: try r.u64(), count: rows.count)
    case .frame:
      let h = try Frame.header(&r, count: count)
      for (k, i) in rows.enumerated() { out[k] = h.base &+ Frame.offset(h, at: i) }
      try Frame.exceptions(&r, count: count) { pos, off in
        if let k = position(of: pos, in: rows) { out[k] = h.base &+ off }
      }
    case .dictionary:
      let n = Int(try r.u32())
      guard n > 0, n <= maxDictionary else { throw ByteReader.Truncated() }
      var entries = [UInt64](repeating: 0, count: n)
      try entries.withUnsafeMutableBufferPointer { (d) throws(ByteReader.Truncated) in
        try decode(&r, count: n, into: d.baseAddress!)
      }
      let h = try Frame.header(&r, count: count)
      var bad = false
      for (k, i) in rows.enumerated() {
        let code = h.base &+ Frame.offset(h, at: i)
        bad = bad || code >= UInt64(n)
        out[k] = entries[Int(min(code, UInt64(n - 1)))]
      }
      try Frame.exceptions(&r, count: count) { (pos, off) throws(ByteReader.Truncated) in
        guard let k = position(of: pos, in: rows) else { return }
        let code = h.base &+ off
        guard code < UInt64(n) else { throw ByteReader.Truncated() }
        out[k] = entries[Int(code)]
      }
      // As the whole-stream decoder does, every packed code must be in the dictionary.
      guard !bad else { throw ByteReader.Truncated() }
    case .delta:
      r.offset = start
      var all = [UInt64](repeating: 0, count: count)
      try all.withUnsafeMutableBufferPointer { (p) throws(ByteReader.Truncated) in
        try decode(&r, count: count, into: p.baseAddress!)
      }
      for (k, i) in rows.enumerated() { out[k] = all[i] }
    }
  }

  /// The index of `pos` in the ascending `rows`, or nil.
  private static func position(of pos: Int, in rows: UnsafeBufferPointer<Int>) -> Int? {
    var lo = 0
    var hi = rows.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if rows[mid] < pos { lo = mid + 1 } else { hi = mid }
    }
    return lo < rows.count && rows[lo] == pos ? lo : nil
  }

}

extension IntegerCodec.Frame {
  /// The packed offset of value `i` (before the base is added), read at its fixed bit position.
  @inline(__always)
  static func offset(_ h: Header, at i: Int) -> UInt64 {
    guard h.width > 0, let src = h.packed else { return 0 }
    if h.width == 64 {
      return UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
    }
    let bit = i * h.width
    let word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
    return (word >> UInt64(bit & 7)) & ((1 << UInt64(h.width)) - 1)
  }
}
