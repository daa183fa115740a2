import Storage

/// A test of a block's zone maps: false means no row of the block can pass the filter.
enum ZoneTest: Sendable, Equatable {
  /// Integer or timestamp column (schema position) must have a value in `lo...hi`.
  case intRange(column: Int, lo: Int64, hi: Int64)
  /// Address column must have a value in one of the ranges.
  case ipRanges(column: Int, [ClosedRange<IPAddress>])
  /// The column must have a non-NULL value.
  case notAllNull(column: Int)
  /// Address column must have a value outside every range (NOT in CIDR blocks): a block whose
  /// addresses all lie inside one range is skipped.
  case ipOutside(column: Int, [ClosedRange<IPAddress>])

  var column: Int {
    switch self {
    case .intRange(let c, _, _), .ipRanges(let c, _), .notAllNull(let c), .ipOutside(let c, _): c
    }
  }

  /// Whether a block with these zone maps may hold matching rows. `shift` is added to the
  /// bounds of column `shiftColumn` (the baseline scan of COMPARE sees time shifted).
  func mayMatch(_ zones: [ZoneMap?], shiftColumn: Int?, shift: Int64) -> Bool {
    let c = column
    guard c < zones.count, let z = zones[c] else { return true }
    if z.nullCount == z.rowCount { return false }
    let add = c == shiftColumn ? shift : 0
    switch self {
    case .notAllNull: return true
    case .intRange(_, let lo, let hi):
      switch z.bounds {
      case .unsigned(let mn, let mx):
        let a = Int64(clamping: mn) &+ add
        let b = Int64(clamping: mx) &+ add
        return b >= lo && a <= hi
      case .signed(let mn, let mx):
        return mx &+ add >= lo && mn &+ add <= hi
      default: return true
      }
    case .ipRanges(_, let ranges):
      guard case .ip(let mn, let mx) = z.bounds else { return true }
      return ranges.contains { $0.upperBound >= mn && $0.lowerBound <= mx }
    case .ipOutside(_, let ranges):
      guard case .ip(let mn, let mx) = z.bounds else { return true }
      return !ranges.contains { $0.lowerBound <= mn && mx <= $0.upperBound }
    }
  }

  /// Derives the zone tests and time range of filter conjuncts.
  static func derive(
    from conjuncts: [BoundExpr], scanColumns: [Int], timeColumn: Int?
  ) -> (tests: [ZoneTest], time: Range<Int64>?) {
    var tests: [ZoneTest] = []
    var lo = Int64.min
    var hi = Int64.max  // inclusive
    var bounded = false
    for c in conjuncts {
      switch c {
      case .compare(let op, let l, let r):
        var (col, k, o) = (l, r, op)
        if case .constant = l { (col, k, o) = (r, l, op.flipped) }
        guard case .column(let slot, let t) = col, case .constant(let v, _) = k else { continue }
        let pos = scanColumns[slot]
        if v.isNull { continue }
        if t == .ip, case .ip(let a) = v {
          switch o {
          case .equal: tests.append(.ipRanges(column: pos, [a...a]))
          case .less, .lessEqual: tests.append(.ipRanges(column: pos, [IPAddress.zero...a]))
          case .greater, .greaterEqual:
            tests.append(.ipRanges(column: pos, [a...IPAddress(high: ~0, low: ~0)]))
          case .notEqual: tests.append(.notAllNull(column: pos))
          }
          continue
        }
        guard t == .int || t == .timestamp, let x = v.intValue, v.type != .float else {
          tests.append(.notAllNull(column: pos))
          continue
        }
        var a = Int64.min
        var b = Int64.max
        switch o {
        case .equal: (a, b) = (x, x)
        case .less: b = x == Int64.min ? Int64.min : x - 1
        case .lessEqual: b = x
        case .greater: a = x == Int64.max ? Int64.max : x + 1
        case .greaterEqual: a = x
        case .notEqual: break
        }
        if o == .less && x == Int64.min { continue }
        tests.append(.intRange(column: pos, lo: a, hi: b))
        if pos == timeColumn {
          lo = max(lo, a)
          hi = min(hi, b)
          bounded = true
        }
      case .inList(.column(let slot, let t), let values, false)
      where t == .int || t == .timestamp:
        let xs = values.compactMap(\.intValue)
        if xs.count == values.count, let a = xs.min(), let b = xs.max() {
          tests.append(.intRange(column: scanColumns[slot], lo: a, hi: b))
        }
      case .inCIDR(.column(let slot, _), let blocks, false):
        tests.append(.ipRanges(column: scanColumns[slot], blocks.map { $0.network...$0.last }))
      case .inCIDR(.column(let slot, _), let blocks, true),
        .not(.inCIDR(.column(let slot, _), let blocks, false)):
        tests.append(.ipOutside(column: scanColumns[slot], blocks.map { $0.network...$0.last }))
      case .like(.column(let slot, _), _, _), .isNull(.column(let slot, _), true):
        tests.append(.notAllNull(column: scanColumns[slot]))
      default:
        continue
      }
    }
    var range: Range<Int64>?
    if bounded {
      range = lo > hi ? lo..<lo : lo..<(hi == Int64.max ? Int64.max : hi + 1)
    }
    return (tests, range)
  }
}
