extension IntegerCodec {
  /// Patched frame of reference: values minus a base, bit-packed at a width chosen so that the
  /// few values that do not fit go into an exception list.
  enum Frame {
    /// The chosen width and its cost in bits.
    struct Plan {
      var width: Int
      var exceptions: Int
      var cost: Int
    }

    /// Bits per exception entry (position u32 + value u64).
    static let exceptionBits = 96

    /// Chooses the width minimising packed bits plus exception bits.
    static func plan(_ values: [UInt64], base: UInt64) -> Plan {
      var histogram = [Int](repeating: 0, count: 65)
      values.withUnsafeBufferPointer { p in
        for v in p { histogram[BitPacking.width(of: v &- base)] += 1 }
      }
      return plan(histogram: histogram, count: values.count)
    }

    /// The plan of the zig-zagged successive differences of `values` (first difference 0),
    /// without materialising them; also returns their minimum (the frame base).
    static func planDeltas(_ values: [UInt64]) -> (Plan, UInt64) {
      var lo = UInt64.max
      values.withUnsafeBufferPointer { p in
        lo = 0
        if p.count > 1 {
          lo = .max
          var prev = p[0]
          for v in p {
            lo = Swift.min(lo, IntegerCodec.zigzag(v &- prev))
            prev = v
          }
        }
      }
      var histogram = [Int](repeating: 0, count: 65)
      values.withUnsafeBufferPointer { p in
        var prev = p[0]
        for v in p {
          histogram[BitPacking.width(of: IntegerCodec.zigzag(v &- prev) &- lo)] += 1
          prev = v
        }
      }
      return (plan(histogram: histogram, count: values.count), lo)
    }

    static func plan(histogram: [Int], count: Int) -> Plan {
      var best = Plan(width: 64, exceptions: 0, cost: Int.max)
      var above = 0
      for w in stride(from: 64, through: 0, by: -1) {
        if w <= 56 || w == 64 {
          let cost = count * w + above * exceptionBits
          if cost < best.cost { best = Plan(width: w, exceptions: above, cost: cost) }
        }
        above += histogram[w]
      }
      return best
    }

    /// Writes base, width, packed offsets and exceptions.
    static func write(_ values: [UInt64], base: UInt64, plan p: Plan, into out: inout ByteWriter) {
      out.u64(base)
      out.u8(UInt8(p.width))
      let limit: UInt64 = p.width == 64 ? .max : (1 << UInt64(p.width)) - 1
      var positions: [UInt32] = []
      var offsets: [UInt64] = []
      positions.reserveCapacity(p.exceptions)
      offsets.reserveCapacity(p.exceptions)
      let packed = [UInt64](unsafeUninitializedCapacity: values.count) { buf, n in
        for (i, v) in values.enumerated() {
          let d = v &- base
          if d > limit {
            positions.append(UInt32(i))
            offsets.append(d)
            buf[i] = 0
          } else {
            buf[i] = d
          }
        }
        n = values.count
      }
      packed.withUnsafeBufferPointer { BitPacking.pack($0, width: p.width, into: &out) }
      out.u32(UInt32(positions.count))
      for q in positions { out.u32(q) }
      for o in offsets { out.u64(o) }
    }

    /// Reads a frame body of `count` values into `out`.
    static func read(
      _ r: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>
    ) throws(ByteReader.Truncated) {
      try read(&r, count: count, narrowingInto: out) { $0 }
    }
  }
}
