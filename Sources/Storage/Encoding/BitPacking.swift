/// Fixed-width bit packing: value `i` occupies bits `[i*w, (i+1)*w)` of a little-endian stream.
///
/// The packed buffer is followed by eight zero bytes so the unpacker can always load a whole
/// `UInt64` at the byte holding a value's first bit; widths above 56 are stored as raw 64-bit
/// words instead (width 64).
enum BitPacking {
  /// Bytes needed for `count` values of `width` bits, including the eight bytes of padding.
  static func packedSize(count: Int, width: Int) -> Int {
    width == 64 ? count * 8 : (count * width + 7) / 8 + 8
  }

  /// Packs `values` (each already below `1 << width`) into `out`.
  static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into out: inout ByteWriter) {
    let start = out.bytes.count
    let size = packedSize(count: values.count, width: width)
    out.bytes.append(contentsOf: repeatElement(0, count: size))
    if width == 0 { return }
    out.bytes.withUnsafeMutableBytes { raw in
      let dst = raw.baseAddress! + start
      if width == 64 {
        for (i, v) in values.enumerated() {
          dst.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: UInt64.self)
        }
        return
      }
      var acc: UInt64 = 0
      var bits = 0
      var pos = 0
      for v in values {
        acc |= v << UInt64(bits)
        if bits + width >= 64 {
          dst.storeBytes(of: acc.littleEndian, toByteOffset: pos, as: UInt64.self)
          pos += 8
          let used = 64 - bits
          acc = used == 64 ? 0 : v >> UInt64(used)
          bits = width - used
        } else {
          bits += width
        }
      }
      if bits > 0 {
        var k = 0
        while k * 8 < bits {
          dst.storeBytes(
            of: UInt8(truncatingIfNeeded: acc >> UInt64(k * 8)), toByteOffset: pos + k,
            as: UInt8.self)
          k += 1
        }
      }
    }
  }

  /// Unpacks `count` values of `width` bits from `src`, adding `base` (wrapping) to each.
  @inlinable
  static func unpack(
    _ src: UnsafeRawPointer, count: Int, width: Int, base: UInt64,
    into out: UnsafeMutablePointer<UInt64>
  ) {
    if width == 0 {
      out.update(repeating: base, count: count)
      return
    }
    if width == 64 {
      for i in 0..<count {
        out[i] =
          base &+ UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
      }
      return
    }
    let mask: UInt64 = (1 << UInt64(width)) - 1
    var bit = 0
    for i in 0..<count {
      let word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      out[i] = base &+ (word >> UInt64(bit & 7)) & mask
      bit += width
    }
  }

  /// The number of bits needed to hold `v` (0 for 0).
  @inlinable static func width(of v: UInt64) -> Int { 64 - v.leadingZeroBitCount }
}
