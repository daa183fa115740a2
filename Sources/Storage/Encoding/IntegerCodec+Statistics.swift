extension IntegerCodec {
  /// What the encoder needs to know about a run of values, gathered in two passes: the bounds,
  /// then the bit-width histograms of the frame offsets (`v - lo`) and of the zig-zagged
  /// successive differences, from which the frame and delta plans follow.
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
      var frame = [Int](repeating: 0, count: 65)
      var delta = [Int](repeating: 0, count: 65)
      frame.withUnsafeMutableBufferPointer { f in
        delta.withUnsafeMutableBufferPointer { d in
          IntegerCodec.widthHistograms(values, base: lo, frame: f, delta: d)
        }
      }
      framePlan = Frame.plan(histogram: frame, count: values.count)
      deltaPlan = Frame.plan(histogram: delta, count: values.count)
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

  /// Counts, per bit width 0...64, the offsets `v - base` (into `frame`) and the zig-zagged
  /// successive differences, the first taken as 0 (into `delta`), in one pass. Each histogram
  /// has two halves fed alternately, so consecutive increments of one bin do not wait on each
  /// other; the halves are summed into the first 65 entries at the end.
  @inlinable
  static func widthHistograms(
    _ values: UnsafeBufferPointer<UInt64>, base: UInt64, frame: UnsafeMutableBufferPointer<Int>,
    delta: UnsafeMutableBufferPointer<Int>
  ) {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * 65) { h in
      h.initialize(repeating: 0)
      let f0 = h.baseAddress!
      let f1 = f0 + 65
      let d0 = f0 + 130
      let d1 = f0 + 195
      d0[0] = 1  // the first difference
      f0[BitPacking.width(of: values[0] &- base)] += 1
      var i = 1
      while i + 2 <= values.count {
        let a = values[i]
        let b = values[i + 1]
        f0[BitPacking.width(of: a &- base)] += 1
        f1[BitPacking.width(of: b &- base)] += 1
        d0[BitPacking.width(of: zigzag(a &- values[i - 1]))] += 1
        d1[BitPacking.width(of: zigzag(b &- a))] += 1
        i += 2
      }
      if i < values.count {
        f0[BitPacking.width(of: values[i] &- base)] += 1
        d0[BitPacking.width(of: zigzag(values[i] &- values[i - 1]))] += 1
      }
      for w in 0...64 {
        frame[w] = f0[w] + f1[w]
        delta[w] = d0[w] + d1[w]
      }
    }
  }
}
