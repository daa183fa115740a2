extension IntegerCodec {
  /// The widest value range (`hi - lo + 1`) whose dictionary is built through a presence
  /// bitmap over the range instead of hashing.
  static let denseRange = 1 << 16

  /// Writes a dictionary (kind byte and body, as ``writeDictionary(_:codes:into:)`` writes it)
  /// for `values` that all lie in `lo...hi`, a range of at most ``denseRange``;
  /// returns false, writing nothing, when they hold more than `limit` distinct values or the
  /// dictionary would not cost fewer than `best` bits.
  ///
  /// One pass marks each value's bit in a presence bitmap over the range, counting the new
  /// ones. The set bits, read in order, are the sorted entries, and each one's rank goes into
  /// a table over the range; a second pass packs `rank[v - lo]` straight from the values.
  /// There is no hashing, no per-row code array and no sort.
  static func writeDenseDictionary(
    _ values: UnsafeBufferPointer<UInt64>, lo: UInt64, hi: UInt64, limit: Int, best: Int,
    into out: inout ByteWriter
  ) -> Bool {
    precondition(hi &- lo < UInt64(denseRange) && limit <= maxDictionary)
    let range = Int(hi &- lo) + 1
    let words = (range + 63) >> 6
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { bits in
      bits.initialize(repeating: 0)
      var distinct = 0
      for v in values {
        let k = Int(truncatingIfNeeded: v &- lo)
        let word = bits[k >> 6]
        let bit: UInt64 = 1 &<< UInt64(k & 63)
        if word & bit == 0 {
          bits[k >> 6] = word | bit
          distinct += 1
          if distinct > limit { return false }
        }
      }
      guard dictionaryCost(count: values.count, entries: distinct) < best else { return false }
      let sorted = setBits(UnsafeBufferPointer(bits), base: lo, count: distinct)
      writeSortedDictionary(values, sorted: sorted, into: &out)
      return true
    }
  }

  /// The values `base + k` for every bit `k` set in `bits` (bit `k` is bit `k % 64` of word
  /// `k / 64`), ascending; `count` is how many bits are set.
  static func setBits(_ bits: UnsafeBufferPointer<UInt64>, base: UInt64, count: Int) -> [UInt64] {
    var sorted: [UInt64] = []
    sorted.reserveCapacity(count)
    for w in bits.indices {
      var word = bits[w]
      while word != 0 {
        sorted.append(base &+ UInt64(w << 6 | word.trailingZeroBitCount))
        word &= word &- 1
      }
    }
    return sorted
  }

  /// Writes a dictionary (kind byte and body, as ``writeDictionary(_:codes:into:)`` writes it)
  /// of `values`, whose distinct values are `sorted` (ascending, at most ``maxDictionary``,
  /// spanning at most ``denseRange``): each row's code is its value's rank, read from a table
  /// over the span in which only the slots of values present are written and read.
  static func writeSortedDictionary<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, sorted: [UInt64], into out: inout ByteWriter
  ) {
    let lo = sorted[0]
    let range = Int(sorted[sorted.count - 1] &- lo) + 1
    precondition(sorted.count <= maxDictionary && range <= denseRange)
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: range) { rank in
      for (r, v) in sorted.enumerated() { rank[Int(v &- lo)] = UInt16(truncatingIfNeeded: r) }
      out.u8(Kind.dictionary.rawValue)
      out.u32(UInt32(sorted.count))
      encode(sorted, into: &out, allowDictionary: false)
      @inline(__always) func code(_ i: Int) -> UInt64 {
        UInt64(rank[Int(truncatingIfNeeded: UInt64(values[i]) &- lo)])
      }
      let plan = Frame.plan(count: values.count) { BitPacking.width(of: code($0)) }
      Frame.write(
        count: values.count, base: 0, plan: plan, maxOffset: UInt64(sorted.count - 1),
        into: &out, code)
    }
  }
}
