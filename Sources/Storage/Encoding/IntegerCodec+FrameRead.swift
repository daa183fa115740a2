extension IntegerCodec.Frame {
  /// The header of a frame body: base, width and the packed offsets.
  struct Header {
    var base: UInt64
    var width: Int
    /// The packed offsets; nil only when there are none (no value is loaded then).
    var packed: UnsafeRawPointer?
  }

  /// Reads a frame body's base, width and packed offsets.
  @inline(__always)
  static func header(_ r: inout ByteReader, count: Int) throws(ByteReader.Truncated) -> Header {
    let base = try r.u64()
    let width = Int(try r.u8())
    guard width <= 56 || width == 64 else { throw ByteReader.Truncated() }
    let packed = try r.bytes(BitPacking.packedSize(count: count, width: width))
    return Header(base: base, width: width, packed: packed.baseAddress)
  }

  /// Unpacks the offsets of a frame, storing `map(offset)` for each value.
  @inline(__always)
  static func unpack<T>(
    _ h: Header, count: Int, into out: UnsafeMutablePointer<T>, _ map: (UInt64) -> T
  ) {
    guard count > 0, let src = h.packed else { return }
    if h.width == 0 {
      out.update(repeating: map(0), count: count)
    } else if h.width == 64 {
      for i in 0..<count {
        out[i] = map(
          UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
      }
    } else {
      BitPacking.unpack(src, count: count, width: h.width, into: out, map)
    }
  }

  /// Reads the exception list after the packed offsets, calling `patch(position, offset)`;
  /// a position past `count` is malformed.
  @inline(__always)
  static func exceptions(
    _ r: inout ByteReader, count: Int, _ patch: (Int, UInt64) throws(ByteReader.Truncated) -> Void
  ) throws(ByteReader.Truncated) {
    let n = Int(try r.u32())
    guard n <= count else { throw ByteReader.Truncated() }
    let positions = try r.bytes(n * 4)
    let offsets = try r.bytes(n * 8)
    for k in 0..<n {
      let pos = Int(
        UInt32(littleEndian: positions.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)))
      let off = UInt64(littleEndian: offsets.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
      guard pos < count else { throw ByteReader.Truncated() }
      try patch(pos, off)
    }
  }

  /// Reads a frame body of `count` values into `out`, truncating each to `T`.
  static func read<T: FixedWidthInteger>(
    _ r: inout ByteReader, count: Int, into out: UnsafeMutablePointer<T>
  ) throws(ByteReader.Truncated) {
    let h = try header(&r, count: count)
    let base = h.base
    unpack(h, count: count, into: out) { T(truncatingIfNeeded: base &+ $0) }
    try exceptions(&r, count: count) { pos, off in out[pos] = T(truncatingIfNeeded: base &+ off) }
  }

  /// The widest code frame decoded through a lookup table indexed by the packed code.
  static let tableWidth = 12

  /// Reads a frame body of dictionary codes and stores `dictionary[code]` for each; a code
  /// outside the dictionary is malformed. For code widths up to ``tableWidth`` (all the writer
  /// produces) the packed value indexes a table of `1 << width` entries directly, and the
  /// range check is one running maximum checked at the end.
  static func readCodes<T>(
    _ r: inout ByteReader, count: Int, dictionary: UnsafeBufferPointer<T>,
    into out: UnsafeMutablePointer<T>
  ) throws(ByteReader.Truncated) {
    let h = try header(&r, count: count)
    let n = UInt64(dictionary.count)
    guard h.base < n else {
      if count == 0 { return }
      throw ByteReader.Truncated()
    }
    let room = n - h.base  // codes (offsets) below this are in the dictionary
    let shifted = UnsafeBufferPointer(rebasing: dictionary[Int(h.base)...])
    if h.width <= tableWidth {
      let size = 1 << h.width
      var highest: UInt64 = 0
      withUnsafeTemporaryAllocation(of: T.self, capacity: size) { table in
        for c in 0..<size { table.initializeElement(at: c, to: shifted[c < shifted.count ? c : 0]) }
        let t = UnsafePointer(table.baseAddress!)
        if count == 0 {
          highest = 0
        } else if h.width == 0 {
          out.update(repeating: t[0], count: count)
        } else if T.self == UInt8.self && [1, 2, 4, 8].contains(h.width) {
          // u8 columns: a whole packed byte per lookup. `highest` only needs to say valid or not.
          let valid = BitPacking.lookupBytes(
            h.packed!, count: count, width: h.width,
            table: UnsafeRawPointer(t).assumingMemoryBound(to: UInt8.self), room: room,
            into: UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self))
          highest = valid ? 0 : room
        } else {
          highest = BitPacking.unpackLookup(
            h.packed!, count: count, width: h.width, table: t, into: out)
        }
        _ = table.deinitialize()
      }
      guard highest < room else { throw ByteReader.Truncated() }
    } else {
      var bad = false
      unpack(h, count: count, into: out) { c in
        if c < room { return shifted[Int(c)] }
        bad = true
        return shifted[0]
      }
      guard !bad else { throw ByteReader.Truncated() }
    }
    try exceptions(&r, count: count) { (pos, off) throws(ByteReader.Truncated) in
      guard off < room else { throw ByteReader.Truncated() }
      out[pos] = shifted[Int(off)]
    }
  }
}
