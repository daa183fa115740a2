/// `COMPARE WITH d AGO`: the same aggregation runs over the window shifted back by `d` (the
/// baseline scan sees `time + d`, so WHERE bounds and time buckets line up); each aggregate
/// column `x` gains `x_baseline` and `x_change = x − x_baseline`, and `is_new` is true where
/// the group key had no baseline row.
enum Compare {
  /// x − baseline for numbers, timestamps and durations; NULL otherwise or when either is NULL.
  static func change(_ x: Value, _ base: Value) -> Value {
    switch (x, base) {
    case (.int(let a), .int(let b)): return .int(a &- b)
    case (.float, .float), (.float, .int), (.int, .float):
      return .float(x.doubleValue! - base.doubleValue!)
    case (.timestamp(let a), .timestamp(let b)), (.duration(let a), .duration(let b)):
      return .duration(a &- b)
    default: return .null
    }
  }
}
