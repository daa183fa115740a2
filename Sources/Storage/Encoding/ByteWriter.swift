/// Appends little-endian integers and byte runs to a growable buffer.
struct ByteWriter {
  var bytes: [UInt8] = []

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  @inlinable mutating func u8(_ v: UInt8) { bytes.append(v) }

  @inlinable mutating func integer<T: FixedWidthInteger>(_ v: T) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func u16(_ v: UInt16) { integer(v) }
  mutating func u32(_ v: UInt32) { integer(v) }
  mutating func u64(_ v: UInt64) { integer(v) }
  mutating func i64(_ v: Int64) { integer(v) }

  /// Unsigned LEB128.
  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func append<C: Collection<UInt8>>(_ b: C) { bytes.append(contentsOf: b) }

  /// Appends `n` zero bytes, copied from a shared zero page (a plain memcpy per page).
  mutating func appendZeros(_ n: Int) {
    var left = n
    while left > 0 {
      let k = Swift.min(left, zeroPageSize)
      bytes.append(contentsOf: UnsafeRawBufferPointer(start: zeroPage, count: k))
      left -= k
    }
  }

  mutating func string(_ s: String) {
    let u = Array(s.utf8)
    varint(UInt64(u.count))
    bytes.append(contentsOf: u)
  }
}

/// The size of ``zeroPage``.
private let zeroPageSize = 65536
/// A read-only run of zero bytes, source of ``ByteWriter/appendZeros(_:)``; never written.
nonisolated(unsafe) private let zeroPage = UnsafeRawPointer(
  UnsafeMutableRawPointer.allocate(byteCount: 65536, alignment: 64).initializeMemory(
    as: UInt8.self, repeating: 0, count: 65536))
