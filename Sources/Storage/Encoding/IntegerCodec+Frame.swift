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

    /// Chooses the width minimising packed bits plus exception bits, from the number of values
    /// of each bit width (`histogram[w]`, w in 0...64).
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

    /// Writes base, width, packed offsets and exceptions of `count` values, value `i` being
    /// `value(i)`. The offsets are packed straight into `out`; a second pass collects the
    /// exceptions only when the plan has some.
    @inline(__always)
    static func write(
      count: Int, base: UInt64, plan p: Plan, into out: inout ByteWriter,
      _ value: (Int) -> UInt64
    ) {
      out.u64(base)
      out.u8(UInt8(p.width))
      let limit: UInt64 = p.width == 64 ? .max : (1 << UInt64(p.width)) - 1
      BitPacking.pack(count: count, width: p.width, into: &out) { i in
        let d = value(i) &- base
        return d > limit ? 0 : d
      }
      out.u32(UInt32(p.exceptions))
      guard p.exceptions > 0 else { return }
      var offsets: [UInt64] = []
      offsets.reserveCapacity(p.exceptions)
      for i in 0..<count {
        let d = value(i) &- base
        if d > limit {
          out.u32(UInt32(i))
          offsets.append(d)
        }
      }
      for o in offsets { out.u64(o) }
    }
  }
}
