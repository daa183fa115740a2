extension IPAddress {
  /// Calls `store(i, value)` with the 32-bit value of each address of `p`, in order, while they
  /// are IPv4 (v4-mapped); returns false at the first one that is not (the ones before it have
  /// been stored). The one loop behind the WAL's and the segment codec's IPv4 forms.
  @inline(__always)
  static func narrowV4(
    _ p: UnsafeBufferPointer<IPAddress>, _ store: (Int, UInt32) -> Void
  ) -> Bool {
    for i in p.indices {
      let x = p[i]
      guard x.isV4 else { return false }
      store(i, UInt32(truncatingIfNeeded: x.low))
    }
    return true
  }
}
