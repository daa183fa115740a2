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
    pack(count: values.count, width: width, into: &out) { values[$0] }
  }

  /// Unpacks `count` values of `width` bits from `src`, adding `base` (wrapping) to each.
  static func unpack(
    _ src: UnsafeRawPointer, count: Int, width: Int, base: UInt64,
    into out: UnsafeMutablePointer<UInt64>
  ) {
    if width == 0 {
      out.update(repeating: base, count: count)
    } else if width == 64 {
      for i in 0..<count {
        out[i] =
          base &+ UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
      }
    } else {
      unpack(src, count: count, width: width, into: out) { base &+ $0 }
    }
  }

  /// The number of bits needed to hold `v` (0 for 0).
  @inlinable static func width(of v: UInt64) -> Int { 64 - v.leadingZeroBitCount }
}
