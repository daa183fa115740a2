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
  static func encode(_ values: [UInt64], into out: inout ByteWriter, allowDictionary: Bool = true) {
    precondition(!values.isEmpty)
    var lo = values[0]
    var hi = values[0]
    for v in values {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    if lo == hi {
      out.u8(Kind.constant.rawValue)
      out.u64(lo)
      return
    }
    let framePlan = Frame.plan(values, base: lo)
    let (deltaPlan, deltaBase) = Frame.planDeltas(values)
    var best = (Kind.frame, framePlan.cost)
    if deltaPlan.cost + 64 < best.1 { best = (.delta, deltaPlan.cost + 64) }
    var dictionary: IntegerSet? = nil
    if allowDictionary && framePlan.width > 2 && mayBeDictionary(values),
      let set = values.withUnsafeBufferPointer({ IntegerSet.distinct($0, limit: maxDictionary) })
    {
      let codeWidth = BitPacking.width(of: UInt64(set.values.count - 1))
      let cost = values.count * codeWidth + set.values.count * 16 + 64
      if cost < best.1 {
        best = (.dictionary, cost)
        dictionary = set
      }
    }
    out.u8(best.0.rawValue)
    switch best.0 {
    case .frame:
      Frame.write(values, base: lo, plan: framePlan, into: &out)
    case .delta:
      out.u64(values[0])
      Frame.write(zigzagDeltas(values), base: deltaBase, plan: deltaPlan, into: &out)
    case .dictionary:
      // Entries sorted so the nested encoding sees small deltas; codes follow the sorted order.
      let set = dictionary!
      let order = set.values.indices.sorted { set.values[$0] < set.values[$1] }
      var rank = [UInt64](repeating: 0, count: order.count)
      for (r, k) in order.enumerated() { rank[k] = UInt64(r) }
      out.u32(UInt32(order.count))
      encode(order.map { set.values[$0] }, into: &out, allowDictionary: false)
      let codes = values.map { rank[set.find($0)!] }
      Frame.write(codes, base: 0, plan: Frame.plan(codes, base: 0), into: &out)
    case .constant:
      break
    }
  }

  /// A cheap guess from the first 512 values: a column with more than 256 distinct values among
  /// them will not fit a dictionary well, and is not hashed in full.
  static func mayBeDictionary(_ values: [UInt64]) -> Bool {
    values.withUnsafeBufferPointer { p in
      IntegerSet.distinct(UnsafeBufferPointer(rebasing: p.prefix(512)), limit: 256) != nil
    }
  }

  /// Zig-zag maps a wrapped difference to an unsigned value, small magnitudes first.
  @inline(__always) static func zigzag(_ d: UInt64) -> UInt64 {
    let s = Int64(bitPattern: d)
    return UInt64(bitPattern: (s << 1) ^ (s >> 63))
  }

  /// The zig-zagged differences between successive values (first entry 0).
  static func zigzagDeltas(_ values: [UInt64]) -> [UInt64] {
    var out = [UInt64](repeating: 0, count: values.count)
    var prev = values[0]
    for i in 1..<values.count {
      let d = Int64(bitPattern: values[i] &- prev)
      out[i] = UInt64(bitPattern: (d << 1) ^ (d >> 63))
      prev = values[i]
    }
    return out
  }

}
