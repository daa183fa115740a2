import Storage

/// Whether a block's zone maps prove a filter conjunct true for every one of its rows (no NULL,
/// and the bounds inside what the conjunct accepts), so the filter need not test the rows: a
/// time window over the blocks wholly inside it, a CIDR that every address of the block is in.
enum ZoneProof {
  /// True only when every row of the block passes `c`; false when it cannot tell.
  static func holdsForEveryRow(_ c: BoundExpr, _ zones: [ZoneMap?]) -> Bool {
    switch c {
    case .compare(let op, let l, let r):
      if case .column(let s, _) = l, case .constant(let k, _) = r {
        return compare(op, s, k, zones)
      }
      if case .constant(let k, _) = l, case .column(let s, _) = r {
        return compare(op.flipped, s, k, zones)
      }
      return false
    case .inCIDR(.column(let s, _), let blocks, let neg):
      return cidr(s, blocks, neg, zones)
    case .not(.inCIDR(.column(let s, _), let blocks, let neg)):
      return cidr(s, blocks, !neg, zones)
    default:
      return false
    }
  }

  private static func zone(_ s: Int, _ zones: [ZoneMap?]) -> ZoneMap? {
    guard s < zones.count, let z = zones[s], z.nullCount == 0, z.rowCount > 0 else { return nil }
    return z
  }

  private static func compare(
    _ op: ComparisonOperator, _ s: Int, _ k: Value, _ zones: [ZoneMap?]
  ) -> Bool {
    guard let z = zone(s, zones) else { return false }
    switch (z.bounds, k) {
    case (.signed(let mn, let mx), .int(let x)), (.signed(let mn, let mx), .timestamp(let x)):
      return within(op, mn, mx, x)
    case (.unsigned(let mn, let mx), .int(let x)):
      guard mx <= UInt64(Int64.max) else { return false }
      return within(op, Int64(mn), Int64(mx), x)
    case (.ip(let mn, let mx), .ip(let x)):
      return within(op, mn, mx, x)
    default:
      return false
    }
  }

  /// Every value in `mn...mx` satisfies `value op x`.
  private static func within<T: Comparable>(_ op: ComparisonOperator, _ mn: T, _ mx: T, _ x: T)
    -> Bool
  {
    switch op {
    case .less: mx < x
    case .lessEqual: mx <= x
    case .greater: mn > x
    case .greaterEqual: mn >= x
    case .equal: mn == x && mx == x
    case .notEqual: x < mn || x > mx
    }
  }

  private static func cidr(_ s: Int, _ blocks: [CIDR], _ neg: Bool, _ zones: [ZoneMap?]) -> Bool {
    guard let z = zone(s, zones), case .ip(let mn, let mx) = z.bounds else { return false }
    if neg { return blocks.allSatisfy { mx < $0.network || mn > $0.last } }
    return blocks.contains { $0.network <= mn && mx <= $0.last }
  }
}
