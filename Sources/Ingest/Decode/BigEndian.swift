/// Unchecked big-endian loads from a raw buffer. Callers check bounds once per record or header,
/// then read fields with these helpers without a per-byte check.
enum BigEndian {
  @inline(__always)
  static func u8(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
    p.load(fromByteOffset: offset, as: UInt8.self)
  }

  @inline(__always)
  static func u16(_ p: UnsafeRawPointer, _ offset: Int) -> UInt16 {
    UInt16(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
  }

  @inline(__always)
  static func u32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt32 {
    UInt32(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  @inline(__always)
  static func u64(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// An unsigned integer of `length` bytes (0...8; reduced-size encoding, RFC 7011 6.2).
  /// Lengths above 8 keep the last 8 bytes.
  @inline(__always)
  static func uint(_ p: UnsafeRawPointer, _ offset: Int, _ length: Int) -> UInt64 {
    switch length {
    case 1: return UInt64(u8(p, offset))
    case 2: return UInt64(u16(p, offset))
    case 4: return UInt64(u32(p, offset))
    case 8: return u64(p, offset)
    default:
      var v: UInt64 = 0
      let start = length > 8 ? offset + length - 8 : offset
      for i in start..<(offset + length) { v = v << 8 | UInt64(u8(p, i)) }
      return v
    }
  }

  /// A 16-byte IPv6 address.
  @inline(__always)
  static func ipv6(_ p: UnsafeRawPointer, _ offset: Int) -> (UInt64, UInt64) {
    (u64(p, offset), u64(p, offset + 8))
  }

  /// Text from a string field: UTF-8 (invalid sequences replaced), cut at the first NUL byte.
  static func string(_ p: UnsafeRawPointer, _ offset: Int, _ length: Int) -> String {
    var n = 0
    while n < length && u8(p, offset + n) != 0 { n += 1 }
    return String(
      decoding: UnsafeRawBufferPointer(start: p + offset, count: n), as: UTF8.self)
  }
}
