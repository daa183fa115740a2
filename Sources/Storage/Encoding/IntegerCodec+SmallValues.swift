extension IntegerCodec {
  /// Encodes 8- or 16-bit values (non-empty) into `out` straight from their own width, without
  /// the 64-bit copy and the passes over it that ``encode(_:bounds:into:allowDictionary:)``
  /// makes; returns their smallest and largest value.
  ///
  /// One pass marks every value in a table over the type's whole range (256 bytes for 8-bit
  /// values, a 1,024-word bitmap for 16-bit ones). The table gives the bounds, the distinct
  /// count and the sorted distinct values at once, so a dictionary needs no hashing and no
  /// sort. The choice is the general encoder's between a constant, a patched frame (planned
  /// from a sample, as there) and a dictionary; the delta encoding is not considered, since
  /// protocol numbers, flags and ports do not grow row by row.
  static func encodeSmall<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, into out: inout ByteWriter
  ) -> (lo: UInt64, hi: UInt64) {
    precondition(!values.isEmpty && T.bitWidth <= 16)
    if T.bitWidth == 8 {
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { seen in
        seen.initialize(repeating: 0)
        for v in values { seen[Int(v)] = 1 }
        var present: [UInt64] = []
        present.reserveCapacity(256)
        for k in 0..<256 where seen[k] != 0 { present.append(UInt64(k)) }
        return writeSmall(values, present: present, distinct: present.count, into: &out)
      }
    }
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 1024) { bits in
      bits.initialize(repeating: 0)
      for v in values {
        let k = Int(v)
        bits[k >> 6] |= 1 &<< UInt64(k & 63)
      }
      var distinct = 0
      var first = -1
      var last = 0
      for w in 0..<1024 where bits[w] != 0 {
        distinct += bits[w].nonzeroBitCount
        if first < 0 { first = w }
        last = w
      }
      // Too many distinct values for a dictionary: only the bounds are needed.
      guard distinct <= maxDictionary else {
        let lo = UInt64(first << 6 | bits[first].trailingZeroBitCount)
        let hi = UInt64(last << 6 | (63 - bits[last].leadingZeroBitCount))
        return writeSmall(values, present: [lo, hi], distinct: distinct, into: &out)
      }
      let present = setBits(
        UnsafeBufferPointer(rebasing: bits[first...last]), base: UInt64(first << 6),
        count: distinct)
      return writeSmall(values, present: present, distinct: distinct, into: &out)
    }
  }

  /// Writes `values`, which hold `distinct` distinct values: `present`, sorted (only the
  /// smallest and largest when `distinct` is above ``maxDictionary``). Writes a constant, a
  /// dictionary when it costs fewer bits than the frame, else the frame.
  private static func writeSmall<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, present: [UInt64], distinct: Int,
    into out: inout ByteWriter
  ) -> (lo: UInt64, hi: UInt64) {
    let lo = present[0]
    let hi = present[present.count - 1]
    if lo == hi {
      writeConstant(lo, into: &out)
      return (lo, hi)
    }
    let n = values.count
    let framePlan = Frame.plan(count: n) { BitPacking.width(of: UInt64(values[$0]) &- lo) }
    if framePlan.width > 2, distinct <= maxDictionary,
      dictionaryCost(count: n, entries: present.count) < framePlan.cost
    {
      writeSortedDictionary(values, sorted: present, into: &out)
      return (lo, hi)
    }
    out.u8(Kind.frame.rawValue)
    Frame.write(count: n, base: lo, plan: framePlan, maxOffset: hi &- lo, into: &out) {
      UInt64(values[$0])
    }
    return (lo, hi)
  }
}
