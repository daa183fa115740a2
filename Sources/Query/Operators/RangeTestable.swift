import Storage

/// Bool's `&` evaluates both sides: the form of `&&` for per-row tests whose right side is cheap
/// and safe, so that a filter loop has no branch on the row's value.
@inline(__always) func & (a: Bool, b: Bool) -> Bool {
  bit(a) & bit(b) != 0
}

/// A value type whose closed ranges are tested with one unsigned comparison:
/// `lo <= x <= hi` is `x - lo <= hi - lo` in wrapping arithmetic, so the test has no branch.
protocol RangeTestable: Comparable {
  /// `hi - lo` (`lo <= hi`).
  static func span(_ lo: Self, _ hi: Self) -> Self
  /// True when `lo <= self <= lo + span`.
  func inSpan(from lo: Self, _ span: Self) -> Bool
}

extension UInt32: RangeTestable {
  @inline(__always) static func span(_ lo: UInt32, _ hi: UInt32) -> UInt32 { hi &- lo }
  @inline(__always) func inSpan(from lo: UInt32, _ span: UInt32) -> Bool { self &- lo <= span }
}

extension IPAddress: RangeTestable {
  @inline(__always) static func span(_ lo: IPAddress, _ hi: IPAddress) -> IPAddress {
    hi.subtracting(lo)
  }

  @inline(__always) func inSpan(from lo: IPAddress, _ span: IPAddress) -> Bool {
    let d = subtracting(lo)
    // d <= span as 128-bit unsigned values, without a branch.
    return (d.high < span.high) | ((d.high == span.high) & (d.low <= span.low))
  }

  /// `self - o` modulo 2^128.
  @inline(__always) func subtracting(_ o: IPAddress) -> IPAddress {
    let (low, borrow) = self.low.subtractingReportingOverflow(o.low)
    return IPAddress(high: self.high &- o.high &- UInt64(truncatingIfNeeded: bit(borrow)), low: low)
  }
}

/// Bool's `|` evaluates both sides (see `&`).
@inline(__always) func | (a: Bool, b: Bool) -> Bool {
  bit(a) | bit(b) != 0
}

/// 1 for true, 0 for false, as arithmetic: `k &+= bit(test)` stays an add, where `test ? 1 : 0`
/// may become a select that the backend turns back into a branch on the row's value.
@inline(__always) func bit(_ b: Bool) -> Int { Int(unsafeBitCast(b, to: UInt8.self)) }
