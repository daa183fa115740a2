extension ColumnCodec {
  /// Thrown when a chunk's bytes do not decode; the reader adds file, column and block.
  struct Malformed: Error {}

  /// Decodes an address chunk of `count` rows as host-order IPv4 values when the block holds
  /// IPv4 addresses only (12 bytes a row fewer than ``IPAddress``), or else as addresses.
  static func decodeAddresses(_ bytes: UnsafeRawBufferPointer, count: Int) throws(Malformed)
    -> AddressColumn
  {
    if let v = try decodeV4(bytes, count: count) { return .v4(v.values, validity: v.validity) }
    return .decoded(try decode(bytes, type: .ip, count: count, reference: { nil }))
  }

  private static func decodeV4(_ bytes: UnsafeRawBufferPointer, count: Int) throws(Malformed)
    -> (values: [UInt32], validity: Bitmap?)?
  {
    do {
      var r = ByteReader(bytes)
      let (validity, _) = try header(&r, count: count)
      guard try r.u8() == 4 else { return nil }
      let v: [UInt32] = try narrowStream(&r, count: count)
      return (v, validity)
    } catch {
      throw Malformed()
    }
  }

  /// Decodes a string chunk of `count` rows as its dictionary and one code per row, without
  /// building a string per row.
  static func decodeStrings(_ bytes: UnsafeRawBufferPointer, count: Int) throws(Malformed)
    -> StringCodes
  {
    do {
      var r = ByteReader(bytes)
      let (validity, _) = try header(&r, count: count)
      let d = try dictionary(&r, count: count, validity: validity)
      // A chunk of NULLs has no entries; one placeholder keeps every code a valid index.
      return StringCodes(
        entries: d.entries.isEmpty ? [""] : d.entries, codes: d.codes, validity: validity)
    } catch {
      throw Malformed()
    }
  }

  /// A chunk's validity bitmap (nil: no NULL) and mode byte, which every chunk starts with.
  static func header(_ r: inout ByteReader, count: Int) throws(ByteReader.Truncated)
    -> (validity: Bitmap?, mode: UInt8)
  {
    var validity: Bitmap? = nil
    if try r.u8() & 1 != 0 {
      validity = Bitmap(littleEndianBytes: try r.bytes((count + 7) / 8), count: count)
    }
    return (validity, try r.u8())
  }

  /// The dictionary and codes of a string chunk, after its validity and mode bytes. Codes of
  /// NULL rows are 0; every other code is checked against the dictionary.
  static func dictionary(_ r: inout ByteReader, count: Int, validity: Bitmap?)
    throws -> (entries: [String], codes: [UInt32])
  {
    let n = Int(try r.u32())
    guard n <= count else { throw Malformed() }
    var entries: [String] = []
    entries.reserveCapacity(n)
    for _ in 0..<n { entries.append(try r.string()) }
    var codes: [UInt32] = try narrowStream(&r, count: count)
    // One branch-free pass for the largest code; only when it is out of range (a NULL row's
    // placeholder, or damage) are the rows looked at one by one.
    var top: UInt32 = 0
    codes.withUnsafeBufferPointer { c in for i in 0..<count { top = max(top, c[i]) } }
    var bad = false
    if count > 0 && Int(top) >= n {
      codes.withUnsafeMutableBufferPointer { c in
        for i in 0..<count {
          if !(validity?[i] ?? true) {
            c[i] = 0
          } else if Int(c[i]) >= n {
            bad = true
          }
        }
      }
    }
    if bad { throw Malformed() }
    return (entries, codes)
  }

  /// Decodes a chunk of `count` rows of `type`. `reference` supplies the block's `time` column
  /// for chunks stored as differences from it.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, type: ColumnType, count: Int, reference: () -> [Int64]?
  ) throws(Malformed) -> ColumnVector {
    do {
      var r = ByteReader(bytes)
      let (validity, mode) = try header(&r, count: count)
      // The u64 scratch vector, allocated only for the types that decode through one.
      var scratch: [UInt64] = []
      func stream() throws(ByteReader.Truncated) {
        if scratch.count != count {
          scratch = [UInt64](unsafeUninitializedCapacity: count) { _, n in n = count }
        }
        try scratch.withUnsafeMutableBufferPointer { (p) throws(ByteReader.Truncated) in
          try IntegerCodec.decode(&r, count: count, into: p.baseAddress!)
        }
      }
      let values: ColumnValues
      switch type {
      case .uint8: values = .uint8(try narrowStream(&r, count: count))
      case .uint16: values = .uint16(try narrowStream(&r, count: count))
      case .uint32: values = .uint32(try narrowStream(&r, count: count))
      case .uint64:
        try stream()
        values = .uint64(scratch)
      case .timestamp:
        try stream()
        var out = [Int64](unsafeUninitializedCapacity: count) { buf, n in
          for i in 0..<count { buf[i] = Int64(bitPattern: scratch[i] ^ signBit) }
          n = count
        }
        if mode == 1 {
          guard let ref = reference(), ref.count == count else { throw Malformed() }
          for i in 0..<count { out[i] = out[i] &+ ref[i] }
        }
        values = .timestamp(out)
      case .ip:
        let family = try r.u8()
        if family == 4 {
          try stream()
          values = .ip(
            [IPAddress](unsafeUninitializedCapacity: count) { out, n in
              for i in 0..<count { out[i] = IPAddress(v4: UInt32(truncatingIfNeeded: scratch[i])) }
              n = count
            })
        } else {
          try stream()
          let high = scratch
          scratch = []
          try stream()
          values = .ip(
            [IPAddress](unsafeUninitializedCapacity: count) { out, n in
              for i in 0..<count { out[i] = IPAddress(high: high[i], low: scratch[i]) }
              n = count
            })
        }
      case .string:
        let d = try dictionary(&r, count: count, validity: validity)
        var out = [String](repeating: "", count: count)
        for i in 0..<count where validity?[i] ?? true { out[i] = d.entries[Int(d.codes[i])] }
        values = .string(out)
      }
      return ColumnVector(values, validity: validity)
    } catch {
      throw Malformed()
    }
  }

  /// One integer stream decoded straight into `[T]`.
  static func narrowStream<T: FixedWidthInteger>(_ r: inout ByteReader, count: Int)
    throws(ByteReader.Truncated) -> [T]
  {
    var failure: ByteReader.Truncated? = nil
    // Every element is written by the decoder before the array is used; on failure the
    // (trivial) elements are left as they are and the array is dropped.
    let out = [T](unsafeUninitializedCapacity: count) { buf, n in
      n = count
      guard let p = buf.baseAddress else { return }
      do throws(ByteReader.Truncated) {
        try IntegerCodec.decode(&r, count: count, narrowingInto: p)
      } catch {
        p.initialize(repeating: 0, count: count)
        failure = error
      }
    }
    if let failure { throw failure }
    return out
  }

  @inlinable
  static func narrow<T: FixedWidthInteger>(_ wide: [UInt64]) -> [T] {
    [T](unsafeUninitializedCapacity: wide.count) { buf, n in
      wide.withUnsafeBufferPointer { src in
        for i in 0..<src.count { buf[i] = T(truncatingIfNeeded: src[i]) }
      }
      n = wide.count
    }
  }
}
