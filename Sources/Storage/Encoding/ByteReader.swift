/// Reads little-endian integers from a byte buffer, failing cleanly on a short buffer.
struct ByteReader {
  /// Thrown when a read would pass the end; the caller names the file and place.
  struct Truncated: Error {}

  let base: UnsafeRawBufferPointer
  var offset: Int

  init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
    self.base = base
    self.offset = offset
  }

  var remaining: Int { base.count - offset }

  @inlinable mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(Truncated) -> T {
    let n = MemoryLayout<T>.size
    guard offset + n <= base.count else { throw Truncated() }
    let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
    offset += n
    return T(littleEndian: v)
  }

  mutating func u8() throws(Truncated) -> UInt8 { try integer(UInt8.self) }
  mutating func u16() throws(Truncated) -> UInt16 { try integer(UInt16.self) }
  mutating func u32() throws(Truncated) -> UInt32 { try integer(UInt32.self) }
  mutating func u64() throws(Truncated) -> UInt64 { try integer(UInt64.self) }
  mutating func i64() throws(Truncated) -> Int64 { try integer(Int64.self) }

  mutating func varint() throws(Truncated) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try u8()
      guard shift < 64 else { throw Truncated() }
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
    }
  }

  mutating func bytes(_ n: Int) throws(Truncated) -> UnsafeRawBufferPointer {
    guard n >= 0, offset + n <= base.count else { throw Truncated() }
    defer { offset += n }
    return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
  }

  mutating func string() throws(Truncated) -> String {
    let n = try varint()
    guard n <= UInt64(remaining) else { throw Truncated() }
    return String(decoding: try bytes(Int(n)), as: UTF8.self)
  }
}
