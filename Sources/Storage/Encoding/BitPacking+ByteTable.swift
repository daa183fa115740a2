extension BitPacking {
  /// Decodes byte-sized dictionary values whose codes are 1, 2, 4 or 8 bits wide, a whole packed
  /// byte at a time: a 256-entry table maps each possible byte to the `8 / width` values it
  /// holds, laid out as they go to `out`, so one load and one store serve up to eight rows.
  ///
  /// `table` has `1 << width` entries; codes at or above `room` are invalid, and any such code
  /// makes the result false (the values written are then meaningless).
  @inline(__always)
  static func lookupBytes(
    _ src: UnsafeRawPointer, count: Int, width: Int, table: UnsafePointer<UInt8>, room: UInt64,
    into out: UnsafeMutablePointer<UInt8>
  ) -> Bool {
    precondition(width == 1 || width == 2 || width == 4 || width == 8)
    let perByte = 8 / width
    let mask = (1 << width) - 1
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { expanded in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { invalid in
        for b in 0..<256 {
          var word: UInt64 = 0
          var bad: UInt8 = 0
          for k in 0..<perByte {
            let c = (b >> (k * width)) & mask
            word |= UInt64(table[c]) << UInt64(8 * k)
            bad |= UInt64(c) >= room ? 1 : 0
          }
          expanded.initializeElement(at: b, to: word)
          invalid.initializeElement(at: b, to: bad)
        }
        let e = UnsafePointer(expanded.baseAddress!)
        let v = UnsafePointer(invalid.baseAddress!)
        let dst = UnsafeMutableRawPointer(out)
        let bytes = count / perByte
        var bad: UInt8 = 0
        @inline(__always) func run<W: FixedWidthInteger>(_: W.Type) {
          for i in 0..<bytes {
            let b = Int(src.load(fromByteOffset: i, as: UInt8.self))
            bad |= v[b]
            dst.storeBytes(
              of: W(truncatingIfNeeded: e[b]).littleEndian, toByteOffset: i * perByte, as: W.self)
          }
        }
        switch perByte {
        case 8: run(UInt64.self)
        case 4: run(UInt32.self)
        case 2: run(UInt16.self)
        default: run(UInt8.self)
        }
        // The values of a last, partly filled byte, one by one.
        if bytes * perByte < count {
          let b = Int(src.load(fromByteOffset: bytes, as: UInt8.self))
          for k in 0..<(count - bytes * perByte) {
            let c = (b >> (k * width)) & mask
            out[bytes * perByte + k] = table[c]
            bad |= UInt64(c) >= room ? 1 : 0
          }
        }
        _ = expanded.deinitialize()
        _ = invalid.deinitialize()
        return bad == 0
      }
    }
  }
}
