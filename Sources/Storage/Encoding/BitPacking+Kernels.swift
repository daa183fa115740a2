extension BitPacking {
  /// Packs `count` values, value `i` being `value(i)` (already below `1 << width`), straight
  /// into `out`: the packed bytes plus their eight zero bytes of padding (``packedSize``).
  @inline(__always)
  static func pack(
    count: Int, width: Int, into out: inout ByteWriter, _ value: (Int) -> UInt64
  ) {
    let start = out.bytes.count
    out.appendZeros(packedSize(count: count, width: width))
    if width == 0 || count == 0 { return }
    out.bytes.withUnsafeMutableBytes { raw in
      packKernel(count: count, width: width, into: raw.baseAddress! + start, value)
    }
  }

  /// The packing loop: a 64-bit accumulator flushed whole to `dst` (zeroed, ``packedSize``
  /// bytes) each time it fills; the last partial word is written byte by byte.
  @inline(__always)
  static func packKernel(
    count: Int, width: Int, into dst: UnsafeMutableRawPointer, _ value: (Int) -> UInt64
  ) {
    // Whole-byte widths: each value is stored where the accumulator would have put it.
    switch width {
    case 8: return storeWhole(UInt8.self, count: count, into: dst, value)
    case 16: return storeWhole(UInt16.self, count: count, into: dst, value)
    case 32: return storeWhole(UInt32.self, count: count, into: dst, value)
    case 64: return storeWhole(UInt64.self, count: count, into: dst, value)
    default: break
    }
    var acc: UInt64 = 0
    var bits = 0
    var pos = 0
    for i in 0..<count {
      let v = value(i)
      acc |= v &<< UInt64(bits)
      bits += width
      if bits >= 64 {
        dst.storeBytes(of: acc.littleEndian, toByteOffset: pos, as: UInt64.self)
        pos += 8
        bits -= 64
        // The bits of v that did not fit (none when it ended exactly on the word boundary).
        acc = bits == 0 ? 0 : v &>> UInt64(width - bits)
      }
    }
    var k = 0
    while k * 8 < bits {
      dst.storeBytes(
        of: UInt8(truncatingIfNeeded: acc &>> UInt64(k * 8)), toByteOffset: pos + k, as: UInt8.self)
      k += 1
    }
  }

  /// Stores `count` values as little-endian `T`s back to back: the accumulator's layout for a
  /// width of `T`'s bits.
  @inline(__always)
  static func storeWhole<T: FixedWidthInteger>(
    _: T.Type, count: Int, into dst: UnsafeMutableRawPointer, _ value: (Int) -> UInt64
  ) {
    for i in 0..<count {
      dst.storeBytes(
        of: T(truncatingIfNeeded: value(i)).littleEndian,
        toByteOffset: i * MemoryLayout<T>.size, as: T.self)
    }
  }

  /// Unpacks `count` values of `width` bits (1...56, padded as ``packedSize`` says) from `src`,
  /// storing `map(offset)` for each. Widths up to 16 get a loop specialised for the constant
  /// width; the others share one loop over a runtime width.
  @inline(__always)
  static func unpack<T>(
    _ src: UnsafeRawPointer, count: Int, width: Int, into out: UnsafeMutablePointer<T>,
    _ map: (UInt64) -> T
  ) {
    switch width {
    case 1: unpackGroups(src, count: count, width: 1, into: out, map)
    case 2: unpackGroups(src, count: count, width: 2, into: out, map)
    case 3: unpackGroups(src, count: count, width: 3, into: out, map)
    case 4: unpackGroups(src, count: count, width: 4, into: out, map)
    case 5: unpackGroups(src, count: count, width: 5, into: out, map)
    case 6: unpackGroups(src, count: count, width: 6, into: out, map)
    case 7: unpackGroups(src, count: count, width: 7, into: out, map)
    case 8: unpackGroups(src, count: count, width: 8, into: out, map)
    case 9: unpackGroups(src, count: count, width: 9, into: out, map)
    case 10: unpackGroups(src, count: count, width: 10, into: out, map)
    case 11: unpackGroups(src, count: count, width: 11, into: out, map)
    case 12: unpackGroups(src, count: count, width: 12, into: out, map)
    case 13: unpackGroups(src, count: count, width: 13, into: out, map)
    case 14: unpackGroups(src, count: count, width: 14, into: out, map)
    case 15: unpackGroups(src, count: count, width: 15, into: out, map)
    case 16: unpackGroups(src, count: count, width: 16, into: out, map)
    default: unpackGroups(src, count: count, width: width, into: out, map)
    }
  }

  /// Unpacks in groups of eight values, which span exactly `width` bytes, so every value's
  /// byte offset and shift within its group are constants of the (inlined) width and the
  /// eight extractions do not depend on one another; the 0–7 left over go one by one.
  @inline(__always)
  static func unpackGroups<T>(
    _ src: UnsafeRawPointer, count: Int, width: Int, into out: UnsafeMutablePointer<T>,
    _ map: (UInt64) -> T
  ) {
    let mask: UInt64 = (1 &<< UInt64(width)) &- 1
    @inline(__always) func value(_ p: UnsafeRawPointer, _ bit: Int) -> UInt64 {
      let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      return (word &>> UInt64(bit & 7)) & mask
    }
    let groups = count >> 3
    var p = src
    var o = out
    for _ in 0..<groups {
      o[0] = map(value(p, 0))
      o[1] = map(value(p, width))
      o[2] = map(value(p, 2 * width))
      o[3] = map(value(p, 3 * width))
      o[4] = map(value(p, 4 * width))
      o[5] = map(value(p, 5 * width))
      o[6] = map(value(p, 6 * width))
      o[7] = map(value(p, 7 * width))
      p += width
      o += 8
    }
    for k in 0..<(count & 7) { o[k] = map(value(p, k * width)) }
  }
}
