/// The two compact value forms of a WAL column, chosen per entry by the writer.
///
/// The WAL is written at ingest speed and the kernel's copy into the page cache is most of its
/// cost, so bytes not written are the cheapest saving: a column whose rows all hold one value
/// (an exporter, an observation domain, a sampling rate) is written once, and an address column
/// of IPv4 addresses is written as 4 bytes per row instead of 16. Both checks stop at the first
/// row that does not fit, so a column that qualifies for neither costs one or two compares.
extension BatchCodec {
  /// Column flag: the column is present.
  static let flagPresent: UInt8 = 1
  /// Column flag: validity words follow.
  static let flagValidity: UInt8 = 2
  /// Column flag: one value follows, shared by every row (only without validity).
  static let flagConstant: UInt8 = 4
  /// Column flag: an address column written as N × u32 IPv4 addresses.
  static let flagIPv4: UInt8 = 8

  /// Writes the single value of `values` when every row holds it; returns false (and writes
  /// nothing) when the rows differ, the column is empty or holds strings.
  static func writeIfConstant(_ values: ColumnValues, into w: inout ByteWriter) -> Bool {
    switch values {
    case .uint8(let a): return constant(a).map { w.u8($0) } != nil
    case .uint16(let a): return constant(a).map { w.u16($0) } != nil
    case .uint32(let a): return constant(a).map { w.u32($0) } != nil
    case .uint64(let a): return constant(a).map { w.u64($0) } != nil
    case .timestamp(let a): return constant(a).map { w.i64($0) } != nil
    case .ip(let a):
      guard let v = constant(a) else { return false }
      w.u64(v.high)
      w.u64(v.low)
      return true
    case .string: return false
    }
  }

  /// The value every element of `a` holds, or nil.
  @inline(__always)
  static func constant<T: Equatable>(_ a: [T]) -> T? {
    a.withUnsafeBufferPointer { p -> T? in
      guard let first = p.first else { return nil }
      for x in p where x != first { return nil }
      return first
    }
  }

  /// Writes `a` as host-order u32 IPv4 addresses when every element is v4-mapped; returns
  /// false (and writes nothing) otherwise.
  static func writeIfIPv4(_ a: [IPAddress], into w: inout ByteWriter) -> Bool {
    guard let first = a.first, first.isV4 else { return false }
    let start = w.bytes.count
    w.appendZeros(a.count * 4)
    // One pass narrows and checks; the first address that is not IPv4 undoes the writing.
    let allV4 = w.bytes.withUnsafeMutableBytes { out in
      a.withUnsafeBufferPointer { p in
        IPAddress.narrowV4(p) { i, v in
          out.storeBytes(of: v, toByteOffset: start + 4 * i, as: UInt32.self)
        }
      }
    }
    if !allV4 { w.bytes.removeLast(w.bytes.count - start) }
    return allV4
  }

  /// Reads the values of a column written in a compact form (`flags` has ``flagConstant`` or
  /// ``flagIPv4``); nil when `flags` names neither or the form does not fit `type`.
  static func readCompact(
    _ type: ColumnType, flags: UInt8, rows: Int, from r: inout ByteReader
  ) throws(ByteReader.Truncated) -> ColumnValues? {
    if flags & flagConstant != 0 {
      switch type {
      case .uint8: return .uint8([UInt8](repeating: try r.u8(), count: rows))
      case .uint16: return .uint16([UInt16](repeating: try r.u16(), count: rows))
      case .uint32: return .uint32([UInt32](repeating: try r.u32(), count: rows))
      case .uint64: return .uint64([UInt64](repeating: try r.u64(), count: rows))
      case .timestamp:
        return .timestamp([Int64](repeating: Int64(bitPattern: try r.u64()), count: rows))
      case .ip:
        let high = try r.u64()
        let low = try r.u64()
        return .ip([IPAddress](repeating: IPAddress(high: high, low: low), count: rows))
      case .string: return nil
      }
    }
    guard flags & flagIPv4 != 0, type == .ip else { return nil }
    let raw = try r.bytes(rows * 4)
    return .ip(
      [IPAddress](unsafeUninitializedCapacity: rows) { buf, n in
        for i in 0..<rows {
          buf[i] = IPAddress(v4: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
        }
        n = rows
      })
  }
}
