extension IntegerCodec {
  /// What the encoder needs to know about a run of values: the bounds (one exact pass), and
  /// the plans of the frame offsets (`v - lo`) and of the zig-zagged successive differences,
  /// from a sample of their bit widths (``Frame/plan(count:_:)``).
  struct Statistics {
    /// The smallest and largest value.
    var lo: UInt64
    var hi: UInt64
    /// The cheapest patched frame of `v - lo`.
    var framePlan: Frame.Plan
    /// The cheapest patched frame of the zig-zagged differences (base 0, the first one 0).
    var deltaPlan: Frame.Plan

    /// Gathers the statistics of `values` (non-empty).
    init(_ values: UnsafeBufferPointer<UInt64>) {
      let (lo, hi) = IntegerCodec.bounds(values)
      self.lo = lo
      self.hi = hi
      guard lo != hi else {
        framePlan = Frame.Plan(width: 0, exceptions: 0, cost: 0)
        deltaPlan = framePlan
        return
      }
      framePlan = Frame.plan(count: values.count) { BitPacking.width(of: values[$0] &- lo) }
      deltaPlan = Frame.plan(count: values.count) { i in
        i == 0 ? 0 : BitPacking.width(of: zigzag(values[i] &- values[i - 1]))
      }
    }
  }

  /// The smallest and largest of `values` (non-empty), two independent lanes per bound.
  @inlinable
  static func bounds(_ values: UnsafeBufferPointer<UInt64>) -> (UInt64, UInt64) {
    var lo0 = values[0]
    var hi0 = lo0
    var lo1 = lo0
    var hi1 = lo0
    var i = 0
    while i + 2 <= values.count {
      let a = values[i]
      let b = values[i + 1]
      lo0 = Swift.min(lo0, a)
      hi0 = Swift.max(hi0, a)
      lo1 = Swift.min(lo1, b)
      hi1 = Swift.max(hi1, b)
      i += 2
    }
    if i < values.count {
      lo0 = Swift.min(lo0, values[i])
      hi0 = Swift.max(hi0, values[i])
    }
    return (Swift.min(lo0, lo1), Swift.max(hi0, hi1))
  }
}
