extension BitPacking {
  /// Unpacks `count` codes of `width` bits (1...12) from `src` and stores `table[code]` for
  /// each (`table` has `1 << width` entries); returns the largest code seen, for the caller's
  /// range check. Widths get loops specialised for the constant width.
  @inline(__always)
  static func unpackLookup<T>(
    _ src: UnsafeRawPointer, count: Int, width: Int, table: UnsafePointer<T>,
    into out: UnsafeMutablePointer<T>
  ) -> UInt64 {
    switch width {
    case 1: lookupGroups(src, count: count, width: 1, table: table, into: out)
    case 2: lookupGroups(src, count: count, width: 2, table: table, into: out)
    case 3: lookupGroups(src, count: count, width: 3, table: table, into: out)
    case 4: lookupGroups(src, count: count, width: 4, table: table, into: out)
    case 5: lookupGroups(src, count: count, width: 5, table: table, into: out)
    case 6: lookupGroups(src, count: count, width: 6, table: table, into: out)
    case 7: lookupGroups(src, count: count, width: 7, table: table, into: out)
    case 8: lookupGroups(src, count: count, width: 8, table: table, into: out)
    default: lookupGroups(src, count: count, width: width, table: table, into: out)
    }
  }

  /// The loop of ``unpackLookup``: groups of eight codes span exactly `width` bytes; for
  /// widths up to 8 one load holds the whole group. The running maximum is taken once per
  /// group, over a tree of the eight codes, so it adds no long dependency chain.
  @inline(__always)
  static func lookupGroups<T>(
    _ src: UnsafeRawPointer, count: Int, width: Int, table: UnsafePointer<T>,
    into out: UnsafeMutablePointer<T>
  ) -> UInt64 {
    let mask: UInt64 = (1 &<< UInt64(width)) &- 1
    @inline(__always) func code(_ p: UnsafeRawPointer, _ bit: Int) -> UInt64 {
      if width <= 8 {
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        return (word &>> UInt64(bit)) & mask
      }
      let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      return (word &>> UInt64(bit & 7)) & mask
    }
    var highest: UInt64 = 0
    var p = src
    var o = out
    for _ in 0..<(count >> 3) {
      let c0 = code(p, 0)
      let c1 = code(p, width)
      let c2 = code(p, 2 * width)
      let c3 = code(p, 3 * width)
      let c4 = code(p, 4 * width)
      let c5 = code(p, 5 * width)
      let c6 = code(p, 6 * width)
      let c7 = code(p, 7 * width)
      if MemoryLayout<T>.size == 1 {
        // Byte-sized values: the eight go out in one 64-bit store instead of eight.
        let t = UnsafeRawPointer(table)
        @inline(__always) func byte(_ c: UInt64, _ k: UInt64) -> UInt64 {
          UInt64(t.load(fromByteOffset: Int(truncatingIfNeeded: c), as: UInt8.self)) &<< k
        }
        let word =
          byte(c0, 0) | byte(c1, 8) | byte(c2, 16) | byte(c3, 24) | byte(c4, 32) | byte(c5, 40)
          | byte(c6, 48) | byte(c7, 56)
        UnsafeMutableRawPointer(o).storeBytes(of: word.littleEndian, as: UInt64.self)
      } else {
        o[0] = table[Int(truncatingIfNeeded: c0)]
        o[1] = table[Int(truncatingIfNeeded: c1)]
        o[2] = table[Int(truncatingIfNeeded: c2)]
        o[3] = table[Int(truncatingIfNeeded: c3)]
        o[4] = table[Int(truncatingIfNeeded: c4)]
        o[5] = table[Int(truncatingIfNeeded: c5)]
        o[6] = table[Int(truncatingIfNeeded: c6)]
        o[7] = table[Int(truncatingIfNeeded: c7)]
      }
      let m = Swift.max(
        Swift.max(Swift.max(c0, c1), Swift.max(c2, c3)),
        Swift.max(Swift.max(c4, c5), Swift.max(c6, c7)))
      highest = Swift.max(highest, m)
      p += width
      o += 8
    }
    for k in 0..<(count & 7) {
      let bit = k * width
      let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      let c = (word &>> UInt64(bit & 7)) & mask
      o[k] = table[Int(truncatingIfNeeded: c)]
      highest = Swift.max(highest, c)
    }
    return highest
  }
}
