extension IntegerCodec {
  /// Writes a dictionary (kind byte and body) for `values` of a wide span by hashing them
  /// (``IntegerSet``); returns false, writing nothing, when the first 512 values already look
  /// too varied (``sampleDistinct(_:)``), when there are more than `limit` distinct values
  /// (hashing stops there) or when the dictionary would not cost fewer than `best` bits.
  static func writeHashedDictionary(
    _ values: UnsafeBufferPointer<UInt64>, limit: Int, best: Int, into out: inout ByteWriter
  ) -> Bool {
    let seen = sampleDistinct(values)
    guard seen <= sampleDistinctLimit else { return false }
    var codes = [UInt32](unsafeUninitializedCapacity: values.count) { _, n in n = values.count }
    let entries = codes.withUnsafeMutableBufferPointer {
      // A block holds several times the distinct values its first 512 rows show: the table
      // starts at eight times as many, which saves most of its doublings.
      IntegerSet.distinct(values, limit: limit, codes: $0.baseAddress!, expected: seen * 8)?
        .values
    }
    guard let entries, dictionaryCost(count: values.count, entries: entries.count) < best else {
      return false
    }
    out.u8(Kind.dictionary.rawValue)
    writeDictionary(entries, codes: codes, into: &out)
    return true
  }

  /// A cheap guess at the number of distinct values among the first 512: a column with more
  /// than about 256 of them (``sampleDistinctLimit`` bits set) will not fit a dictionary well,
  /// and is not hashed in full.
  ///
  /// The distinct values are counted by linear counting instead of a hash set: each value sets
  /// the bit of a 4,096-bit map that its hash picks, and 256 distinct values set 248 bits on
  /// average (`4096 × (1 − e^(−1/16))`). No table is allocated, grown or probed. Returns the
  /// number of bits set, which is close to the distinct count while the map is sparse.
  static func sampleDistinct(_ values: UnsafeBufferPointer<UInt64>) -> Int {
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { bits in
      bits.initialize(repeating: 0)
      for v in values.prefix(512) {
        let h = Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) &>> 52)
        bits[h >> 6] |= 1 &<< UInt64(h & 63)
      }
      var set = 0
      for w in bits { set += w.nonzeroBitCount }
      return set
    }
  }

  /// The most bits ``sampleDistinct(_:)`` may set for a run to be hashed for a dictionary:
  /// what about 256 distinct values set.
  static let sampleDistinctLimit = 248
}
