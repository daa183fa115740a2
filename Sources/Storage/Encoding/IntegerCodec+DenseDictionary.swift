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
      // Only the slots of values present are written, and only those are read.
      withUnsafeTemporaryAllocation(of: UInt16.self, capacity: range) { rank in
        var sorted: [UInt64] = []
        sorted.reserveCapacity(distinct)
        for w in 0..<words {
          var word = bits[w]
          while word != 0 {
            let k = w << 6 | word.trailingZeroBitCount
            rank[k] = UInt16(truncatingIfNeeded: sorted.count)
            sorted.append(lo &+ UInt64(k))
            word &= word &- 1
          }
        }
        out.u8(Kind.dictionary.rawValue)
        out.u32(UInt32(distinct))
        encode(sorted, into: &out, allowDictionary: false)
        @inline(__always) func code(_ i: Int) -> UInt64 {
          UInt64(rank[Int(truncatingIfNeeded: values[i] &- lo)])
        }
        let plan = Frame.plan(count: values.count) { BitPacking.width(of: code($0)) }
        Frame.write(
          count: values.count, base: 0, plan: plan, maxOffset: UInt64(distinct - 1), into: &out,
          code)
      }
      return true
    }
  }
}
