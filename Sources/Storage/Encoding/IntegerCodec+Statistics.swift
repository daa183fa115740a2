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

    /// Gathers the statistics of `values` (non-empty); `bounds`, when the caller already has
    /// them, saves the pass that finds them.
    init(_ values: UnsafeBufferPointer<UInt64>, bounds: (lo: UInt64, hi: UInt64)? = nil) {
      let (lo, hi) = bounds ?? IntegerCodec.bounds(values)
      self.lo = lo
      self.hi = hi
      guard lo != hi else {
        framePlan = Frame.Plan(width: 0, exceptions: 0, cost: 0)
        deltaPlan = framePlan
        return
      }
      (framePlan, deltaPlan) = Frame.plans(
        count: values.count, { BitPacking.width(of: values[$0] &- lo) },
        { i in i == 0 ? 0 : BitPacking.width(of: zigzag(values[i] &- values[i - 1])) })
    }
  }

  /// The smallest and largest of `values` (non-empty).
  @inline(__always)
  static func bounds(_ values: UnsafeBufferPointer<UInt64>) -> (UInt64, UInt64) {
    ZoneMap.bounds(values)
  }
}
