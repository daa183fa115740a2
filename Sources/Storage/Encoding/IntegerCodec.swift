/// Encodes runs of unsigned 64-bit values (every integer column maps into this domain) with the
/// cheapest of four light-weight schemes; LZ4 then runs over the result at the chunk level.
///
/// Layout (all little-endian), after a one-byte kind:
/// - `constant`: value u64.
/// - `frame`: patched frame of reference: base u64, width u8, packed offsets
///   (see ``BitPacking``), exception count u32, then per exception position u32 and offset u64.
/// - `delta`: first value u64, then the zig-zagged successive differences as a `frame` body.
/// - `dictionary`: entry count u32, the sorted distinct values as a nested integer encoding, then
///   the per-row codes as a `frame` body.
enum IntegerCodec {
  enum Kind: UInt8 {
    case constant = 0
    case frame = 1
    case delta = 2
    case dictionary = 3
  }

  /// The most distinct values a dictionary may hold.
  static let maxDictionary = 4096

  /// Encodes `values` (non-empty) into `out`.
  @discardableResult
  static func encode(_ values: [UInt64], into out: inout ByteWriter, allowDictionary: Bool = true)
    -> (lo: UInt64, hi: UInt64)
  {
    values.withUnsafeBufferPointer { encode($0, into: &out, allowDictionary: allowDictionary) }
  }

  /// Encodes `values` (non-empty) into `out`, choosing the kind with the fewest estimated bits;
  /// returns their smallest and largest value (`bounds`, when the caller knows them).
  ///
  /// Two passes plan both the frame and the delta encodings (``Statistics``). A dictionary is
  /// tried through a presence bitmap when the values span at most ``denseRange``
  /// (``writeDenseDictionary(_:lo:hi:limit:best:into:)``); over a wider span by hashing, only
  /// when a 512-value sample looks low-cardinality
  /// (``writeHashedDictionary(_:limit:best:into:)``).
  @discardableResult
  static func encode(
    _ values: UnsafeBufferPointer<UInt64>, bounds: (lo: UInt64, hi: UInt64)? = nil,
    into out: inout ByteWriter, allowDictionary: Bool = true
  ) -> (lo: UInt64, hi: UInt64) {
    precondition(!values.isEmpty)
    let stats = Statistics(values, bounds: bounds)
    if stats.lo == stats.hi {
      writeConstant(stats.lo, into: &out)
      return (stats.lo, stats.hi)
    }
    let framePlan = stats.framePlan
    let deltaPlan = stats.deltaPlan
    var best = (Kind.frame, framePlan.cost)
    if deltaPlan.cost + 64 < best.1 { best = (.delta, deltaPlan.cost + 64) }
    let limit = dictionaryLimit(count: values.count, under: best.1)
    if allowDictionary && framePlan.width > 2 && limit > 0 {
      if stats.hi &- stats.lo < UInt64(denseRange) {
        if writeDenseDictionary(
          values, lo: stats.lo, hi: stats.hi, limit: limit, best: best.1, into: &out)
        {
          return (stats.lo, stats.hi)
        }
      } else if writeHashedDictionary(values, limit: limit, best: best.1, into: &out) {
        return (stats.lo, stats.hi)
      }
    }
    out.u8(best.0.rawValue)
    switch best.0 {
    case .frame:
      Frame.write(
        count: values.count, base: stats.lo, plan: framePlan, maxOffset: stats.hi &- stats.lo,
        into: &out
      ) { values[$0] }
    case .delta:
      out.u64(values[0])
      // The first difference is 0, and every zig-zagged difference is >= 0: the base is 0.
      Frame.write(count: values.count, base: 0, plan: deltaPlan, into: &out) { i in
        i == 0 ? 0 : zigzag(values[i] &- values[i - 1])
      }
    case .constant, .dictionary:
      break
    }
    return (stats.lo, stats.hi)
  }

  /// Writes a run whose every value is `value` (what ``encode(_:into:allowDictionary:)`` writes
  /// for it).
  static func writeConstant(_ value: UInt64, into out: inout ByteWriter) {
    out.u8(Kind.constant.rawValue)
    out.u64(value)
  }

  /// Writes a dictionary body: the entries sorted (so the nested encoding sees small deltas),
  /// then the per-row codes, renumbered from first-seen order to sorted order.
  static func writeDictionary(
    _ entries: [UInt64], codes: [UInt32], into out: inout ByteWriter
  ) {
    let (sorted, rank) = ranks(of: entries)
    out.u32(UInt32(sorted.count))
    encode(sorted, into: &out, allowDictionary: false)
    // Each row's code is renumbered (first-seen order to sorted order) as it is read.
    codes.withUnsafeBufferPointer { c in
      rank.withUnsafeBufferPointer { rank in
        let plan = Frame.plan(count: c.count) { BitPacking.width(of: UInt64(rank[Int(c[$0])])) }
        // Every rank is below the entry count.
        Frame.write(
          count: c.count, base: 0, plan: plan, maxOffset: UInt64(sorted.count - 1), into: &out
        ) { UInt64(rank[Int(c[$0])]) }
      }
    }
  }

  /// The distinct `entries` (at most ``maxDictionary``) sorted, and each entry's position in
  /// that order. When their span fits 52 bits, each entry is sorted as one integer holding its
  /// offset from the smallest above its 12-bit index; otherwise ranks come by binary search.
  static func ranks(of entries: [UInt64]) -> (sorted: [UInt64], rank: [UInt32]) {
    precondition(entries.count <= maxDictionary)
    var rank = [UInt32](repeating: 0, count: entries.count)
    guard let lo = entries.min(), let hi = entries.max(), hi &- lo < 1 << 52 else {
      let sorted = entries.sorted()
      sorted.withUnsafeBufferPointer { s in
        for (k, e) in entries.enumerated() {
          var a = 0
          var b = s.count
          while a < b {
            let mid = (a + b) >> 1
            if s[mid] < e { a = mid + 1 } else { b = mid }
          }
          rank[k] = UInt32(a)
        }
      }
      return (sorted, rank)
    }
    var keys = entries.enumerated().map { ($1 &- lo) << 12 | UInt64($0) }
    if keys.count < 256 {
      keys.sort()
    } else {
      radixSort(&keys, bits: 12 + BitPacking.width(of: hi &- lo))
    }
    let sorted = keys.enumerated().map { r, key in
      rank[Int(key & 0xFFF)] = UInt32(r)
      return (key >> 12) &+ lo
    }
    return (sorted, rank)
  }

  /// Sorts `keys`, whose values are below `1 << bits`, by least-significant-digit radix sort
  /// with 11-bit digits: a counting pass and a scatter pass per digit, no comparisons.
  static func radixSort(_ keys: inout [UInt64], bits: Int) {
    let n = keys.count
    guard n > 1 else { return }
    var other = [UInt64](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: 2048)
    var passes = 0
    keys.withUnsafeMutableBufferPointer { a in
      other.withUnsafeMutableBufferPointer { b in
        counts.withUnsafeMutableBufferPointer { c in
          var src = a
          var dst = b
          var shift: UInt64 = 0
          while shift < UInt64(bits) {
            c.update(repeating: 0)
            for k in src { c[Int(truncatingIfNeeded: (k &>> shift) & 2047)] += 1 }
            var sum = 0
            for d in 0..<2048 {
              let t = c[d]
              c[d] = sum
              sum += t
            }
            for k in src {
              let d = Int(truncatingIfNeeded: (k &>> shift) & 2047)
              dst[c[d]] = k
              c[d] += 1
            }
            swap(&src, &dst)
            shift += 11
            passes += 1
          }
        }
      }
    }
    // After an odd number of passes the sorted keys are in `other`.
    if passes % 2 == 1 { keys = other }
  }

  /// The estimated bits of a dictionary of `entries` values over `count` rows.
  static func dictionaryCost(count: Int, entries: Int) -> Int {
    count * BitPacking.width(of: UInt64(entries - 1)) + entries * 16 + 64
  }

  /// The most entries (at most ``maxDictionary``) a dictionary over `count` rows may have and
  /// still cost fewer than `best` bits; 0 when none does. The cost grows with the entries, so
  /// a binary search finds it.
  static func dictionaryLimit(count: Int, under best: Int) -> Int {
    var lo = 0  // cost(lo) < best, or lo == 0
    var hi = maxDictionary + 1  // cost(hi) >= best, or past the maximum
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if dictionaryCost(count: count, entries: mid) < best { lo = mid } else { hi = mid }
    }
    return lo
  }

  /// Zig-zag maps a wrapped difference to an unsigned value, small magnitudes first.
  @inline(__always) static func zigzag(_ d: UInt64) -> UInt64 {
    let s = Int64(bitPattern: d)
    return UInt64(bitPattern: (s << 1) ^ (s >> 63))
  }
}
