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
    let frameCost = Frame.plan(values, base: lo).cost
    let deltas = zigzagDeltas(values)
    let deltaPlan = Frame.plan(deltas, base: deltas.min()!)
    var best = (Kind.frame, frameCost)
    if deltaPlan.cost + 64 < best.1 { best = (.delta, deltaPlan.cost + 64) }
    var dictionary: [UInt64: UInt32]? = nil
    var sortedKeys: [UInt64] = []
    if allowDictionary && frameCost > values.count * 2,
      let dict = distinct(values, limit: maxDictionary)
    {
      sortedKeys = dict.sorted()
      let codeWidth = BitPacking.width(of: UInt64(sortedKeys.count - 1))
      let cost = values.count * codeWidth + sortedKeys.count * 16 + 64
      if cost < best.1 {
        best = (.dictionary, cost)
        var m = [UInt64: UInt32](minimumCapacity: sortedKeys.count)
        for (i, k) in sortedKeys.enumerated() { m[k] = UInt32(i) }
        dictionary = m
      }
    }
    out.u8(best.0.rawValue)
    switch best.0 {
    case .frame:
      Frame.write(values, base: lo, into: &out)
    case .delta:
      out.u64(values[0])
      Frame.write(deltas, base: deltas.min()!, into: &out)
    case .dictionary:
      out.u32(UInt32(sortedKeys.count))
      encode(sortedKeys, into: &out, allowDictionary: false)
      let codes = values.map { UInt64(dictionary![$0]!) }
      Frame.write(codes, base: 0, into: &out)
    case .constant:
      break
    }
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

  /// The distinct values, or nil when there are more than `limit`.
  static func distinct(_ values: [UInt64], limit: Int) -> Set<UInt64>? {
    var set = Set<UInt64>(minimumCapacity: limit)
    for v in values {
      if set.insert(v).inserted && set.count > limit { return nil }
    }
    return set
  }
}
