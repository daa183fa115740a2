extension IntegerSet {
  /// The widest value range (`hi - lo + 1`) coded through a direct table instead of hashing.
  static let denseRange = 1 << 16

  /// The distinct values of `input` in first-seen order, storing each row's code (its index in
  /// that order) in `codes`; nil when there are more than `limit`. All values lie in
  /// `lo...hi`: when that range is at most ``denseRange`` wide, a table indexed by `v - lo`
  /// replaces the hash map (same codes, no hashing or probing).
  static func entries(
    _ input: UnsafeBufferPointer<UInt64>, lo: UInt64, hi: UInt64, limit: Int,
    codes: UnsafeMutablePointer<UInt32>
  ) -> [UInt64]? {
    guard hi &- lo < UInt64(denseRange), limit < Int(UInt16.max) else {
      return distinct(input, limit: limit, codes: codes)?.values
    }
    let size = Int(hi &- lo) + 1
    var values: [UInt64] = []
    // slot[v - lo]: 0 while v is unseen, else its code + 1.
    let ok = withUnsafeTemporaryAllocation(of: UInt16.self, capacity: size) { slot -> Bool in
      slot.initialize(repeating: 0)
      for i in 0..<input.count {
        let k = Int(truncatingIfNeeded: input[i] &- lo)
        var c = slot[k]
        if c == 0 {
          guard values.count < limit else { return false }
          values.append(input[i])
          c = UInt16(values.count)
          slot[k] = c
        }
        codes[i] = UInt32(c) - 1
      }
      return true
    }
    return ok ? values : nil
  }
}
