extension IntegerCodec {
  /// Patched frame of reference: values minus a base, bit-packed at a width chosen so that the
  /// few values that do not fit go into an exception list.
  enum Frame {
    /// The chosen width, its exceptions and its cost in bits (estimates when the plan comes
    /// from a sample; the writer counts the exceptions it actually finds).
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

    /// Up to this many values a plan looks at every value; beyond, at about half as many.
    static let sampleLimit = 1024

    /// The plan of `count` values whose bit widths `widthAt(i)` gives, from a sample: every
    /// value when there are at most ``sampleLimit``, else every k-th (k odd, so that a period
    /// of 2, 4 or 8 in the data does not alias), the exceptions and cost scaled to `count`.
    @inline(__always)
    static func plan(count: Int, _ widthAt: (Int) -> Int) -> Plan {
      let step = count > sampleLimit ? (count / (sampleLimit / 2)) | 1 : 1
      var histogram = [Int](repeating: 0, count: 65)
      var samples = 0
      histogram.withUnsafeMutableBufferPointer { h in
        var i = 0
        while i < count {
          h[widthAt(i)] += 1
          samples += 1
          i += step
        }
      }
      var p = plan(histogram: histogram, count: samples)
      if samples < count {
        p.exceptions = p.exceptions * count / samples
        p.cost = p.cost * count / samples
      }
      return p
    }

    /// The plans of two width functions over the same sample (as two calls of
    /// ``plan(count:_:)`` would make them), gathered in one pass over the sampled positions.
    @inline(__always)
    static func plans(count: Int, _ widthA: (Int) -> Int, _ widthB: (Int) -> Int) -> (Plan, Plan) {
      let step = count > sampleLimit ? (count / (sampleLimit / 2)) | 1 : 1
      var a = [Int](repeating: 0, count: 65)
      var b = [Int](repeating: 0, count: 65)
      var samples = 0
      a.withUnsafeMutableBufferPointer { ha in
        b.withUnsafeMutableBufferPointer { hb in
          var i = 0
          while i < count {
            ha[widthA(i)] += 1
            hb[widthB(i)] += 1
            samples += 1
            i += step
          }
        }
      }
      func scaled(_ histogram: [Int]) -> Plan {
        var p = plan(histogram: histogram, count: samples)
        if samples < count {
          p.exceptions = p.exceptions * count / samples
          p.cost = p.cost * count / samples
        }
        return p
      }
      return (scaled(a), scaled(b))
    }

    /// Writes base, width, packed offsets and exceptions of `count` values, value `i` being
    /// `value(i)`. The offsets are packed straight into `out`, counting the values that do not
    /// fit; a second pass collects those exceptions only when there are some. When the caller
    /// knows that no offset exceeds `maxOffset` and that fits the width, the offsets are packed
    /// without a check.
    @inline(__always)
    static func write(
      count: Int, base: UInt64, plan p: Plan, maxOffset: UInt64? = nil,
      into out: inout ByteWriter, _ value: (Int) -> UInt64
    ) {
      out.u64(base)
      out.u8(UInt8(p.width))
      let limit: UInt64 = p.width == 64 ? .max : (1 << UInt64(p.width)) - 1
      if let m = maxOffset, m <= limit, p.width > 0 {
        BitPacking.pack(count: count, width: p.width, into: &out) { value($0) &- base }
        out.u32(0)
        return
      }
      // The packing pass also notes where the exceptions are: each row's position is stored in
      // the next free slot, which only an exception takes (no branch a row), so no second pass
      // over every value is needed to find them.
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count + 1) { at in
        var exceptions = 0
        BitPacking.pack(count: count, width: p.width, into: &out) { i in
          let d = value(i) &- base
          at[exceptions] = UInt32(truncatingIfNeeded: i)
          exceptions &+= d > limit ? 1 : 0
          return d > limit ? 0 : d
        }
        if p.width == 0 {
          // Nothing was packed (nor seen): every value other than the base is an exception.
          for i in 0..<count where value(i) != base {
            at[exceptions] = UInt32(truncatingIfNeeded: i)
            exceptions += 1
          }
        }
        out.u32(UInt32(exceptions))
        for k in 0..<exceptions { out.u32(at[k]) }
        for k in 0..<exceptions { out.u64(value(Int(at[k])) &- base) }
      }
    }
  }
}
