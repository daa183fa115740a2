import Storage

/// Tight loops that read one field from `n` fixed-length records (`stride` bytes apart) into a
/// column, with big-endian conversion. `p` points at the field in the first record.
enum ColumnLoad {
  /// Unsigned integers of `length` bytes, truncated to `T` (as ``FlowRecord/set(_:_:_:_:)`` does).
  @inline(__always)
  static func integers<T: FixedWidthInteger>(
    _ dst: UnsafeMutablePointer<T>, _ n: Int, _ p: UnsafeRawPointer, _ stride: Int, _ length: Int
  ) {
    switch length {
    case 1:
      for i in 0..<n { dst[i] = T(truncatingIfNeeded: BigEndian.u8(p, i &* stride)) }
    case 2:
      for i in 0..<n { dst[i] = T(truncatingIfNeeded: BigEndian.u16(p, i &* stride)) }
    case 4:
      for i in 0..<n { dst[i] = T(truncatingIfNeeded: BigEndian.u32(p, i &* stride)) }
    case 8:
      for i in 0..<n { dst[i] = T(truncatingIfNeeded: BigEndian.u64(p, i &* stride)) }
    default:
      for i in 0..<n { dst[i] = T(truncatingIfNeeded: BigEndian.uint(p, i &* stride, length)) }
    }
  }

  /// Addresses from an IPv4 field, an IPv6 field or both; with both, a non-zero IPv6 address
  /// wins over a zero IPv4 one (``FlowRecord/source``).
  @inline(__always)
  static func addresses(
    _ dst: UnsafeMutablePointer<IPAddress>, _ n: Int, _ p: UnsafeRawPointer, _ stride: Int,
    _ source: AddressSource
  ) {
    switch (source.v4, source.v6) {
    case (let o4?, nil):
      for i in 0..<n { dst[i] = IPAddress(v4: BigEndian.u32(p, i &* stride &+ o4)) }
    case (nil, let o6?):
      for i in 0..<n { dst[i] = v6(p, i &* stride &+ o6) }
    case (let o4?, let o6?):
      for i in 0..<n {
        let v4 = BigEndian.u32(p, i &* stride &+ o4)
        let a = v6(p, i &* stride &+ o6)
        dst[i] = a != .zero && v4 == 0 ? a : IPAddress(v4: v4)
      }
    case (nil, nil):
      break
    }
  }

  @inline(__always)
  private static func v6(_ p: UnsafeRawPointer, _ offset: Int) -> IPAddress {
    let (h, l) = BigEndian.ipv6(p, offset)
    return IPAddress(high: h, low: l)
  }

  /// An absolute time field in ms since the epoch, converted like ``FlowRecord/set(_:_:_:_:)``.
  @inline(__always)
  static func millis(_ t: TimeSource, _ p: UnsafeRawPointer, _ offset: Int) -> Int64 {
    let v = BigEndian.uint(p, offset + t.field.offset, t.field.length)
    switch t.unit {
    case .seconds: return Int64(truncatingIfNeeded: v &* 1000)
    case .millis: return Int64(truncatingIfNeeded: v)
    case .ntp: return FlowRecord.ntpMillis(v)
    }
  }

  /// Absolute times in ms since the epoch from `n` records (see ``millis(_:_:_:)``).
  @inline(__always)
  static func times(
    _ dst: UnsafeMutablePointer<Int64>, _ n: Int, _ p: UnsafeRawPointer, _ stride: Int,
    _ t: TimeSource
  ) {
    integers(dst, n, p + t.field.offset, stride, t.field.length)
    switch t.unit {
    case .seconds: for i in 0..<n { dst[i] = dst[i] &* 1000 }
    case .millis: break
    case .ntp: for i in 0..<n { dst[i] = FlowRecord.ntpMillis(UInt64(bitPattern: dst[i])) }
    }
  }

  /// A field read as `UInt64`, or nil when the template does not carry it.
  @inline(__always)
  static func value(_ f: FieldSource?, _ p: UnsafeRawPointer, _ offset: Int) -> UInt64? {
    guard let f else { return nil }
    return BigEndian.uint(p, offset + f.offset, f.length)
  }

  /// A field truncated to `UInt32`, or nil when the template does not carry it.
  @inline(__always)
  static func uint32(_ f: FieldSource?, _ p: UnsafeRawPointer, _ offset: Int) -> UInt32? {
    value(f, p, offset).map { UInt32(truncatingIfNeeded: $0) }
  }
}
