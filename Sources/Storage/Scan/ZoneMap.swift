/// The smallest and largest non-NULL value of one column within one block, and its NULL count.
///
/// Readers use it to skip blocks that cannot satisfy a predicate.
public struct ZoneMap: Sendable, Equatable {
  /// The bounds, by value kind.
  public enum Bounds: Sendable, Equatable {
    /// Unsigned integer columns (u8 … u64).
    case unsigned(min: UInt64, max: UInt64)
    /// Timestamp columns (ms since the epoch).
    case signed(min: Int64, max: Int64)
    /// Address columns.
    case ip(min: IPAddress, max: IPAddress)
    /// No bounds kept (strings), or every row NULL.
    case none
  }

  /// The bounds of the non-NULL values.
  public let bounds: Bounds
  /// How many rows are NULL.
  public let nullCount: Int
  /// How many rows the block holds.
  public let rowCount: Int

  /// Creates a zone map.
  public init(bounds: Bounds, nullCount: Int, rowCount: Int) {
    self.bounds = bounds
    self.nullCount = nullCount
    self.rowCount = rowCount
  }

  /// Computes the zone map of a vector.
  public init(of vector: ColumnVector) {
    self.init(of: vector, rows: 0..<vector.count)
  }

  /// Computes the zone map of rows `rows` of a vector.
  public init(of vector: ColumnVector, rows: Range<Int>) {
    let validity = vector.validity
    let nulls = validity.map { rows.count - $0.setCount(in: rows) } ?? 0
    rowCount = rows.count
    nullCount = nulls
    if nulls == rows.count {
      bounds = .none
      return
    }
    func range<T: Comparable>(_ all: [T]) -> (T, T) {
      all.withUnsafeBufferPointer { p in
        let a = UnsafeBufferPointer(rebasing: p[rows])
        guard let v = validity, nulls > 0 else { return ZoneMap.bounds(a) }
        var lo = a[0]
        var hi = lo
        var first = true
        for i in a.indices where v[rows.lowerBound + i] {
          if first {
            lo = a[i]
            hi = a[i]
            first = false
          } else {
            if a[i] < lo { lo = a[i] }
            if a[i] > hi { hi = a[i] }
          }
        }
        return (lo, hi)
      }
    }
    switch vector.values {
    case .uint8(let a):
      let r = range(a)
      bounds = .unsigned(min: UInt64(r.0), max: UInt64(r.1))
    case .uint16(let a):
      let r = range(a)
      bounds = .unsigned(min: UInt64(r.0), max: UInt64(r.1))
    case .uint32(let a):
      let r = range(a)
      bounds = .unsigned(min: UInt64(r.0), max: UInt64(r.1))
    case .uint64(let a):
      let r = range(a)
      bounds = .unsigned(min: r.0, max: r.1)
    case .timestamp(let a):
      let r = range(a)
      bounds = .signed(min: r.0, max: r.1)
    case .ip(let a):
      let r = range(a)
      bounds = .ip(min: r.0, max: r.1)
    case .string: bounds = .none
    }
  }

  /// The smallest and largest of `a` (non-empty), in four independent lanes so the
  /// comparisons of neighbouring values do not wait on each other.
  @inline(__always)
  static func bounds<T: Comparable>(_ a: UnsafeBufferPointer<T>) -> (T, T) {
    var lo = (a[0], a[0], a[0], a[0])
    var hi = lo
    var i = 1
    while i + 4 <= a.count {
      let (w, x, y, z) = (a[i], a[i + 1], a[i + 2], a[i + 3])
      if w < lo.0 { lo.0 = w }
      if w > hi.0 { hi.0 = w }
      if x < lo.1 { lo.1 = x }
      if x > hi.1 { hi.1 = x }
      if y < lo.2 { lo.2 = y }
      if y > hi.2 { hi.2 = y }
      if z < lo.3 { lo.3 = z }
      if z > hi.3 { hi.3 = z }
      i += 4
    }
    while i < a.count {
      if a[i] < lo.0 { lo.0 = a[i] }
      if a[i] > hi.0 { hi.0 = a[i] }
      i += 1
    }
    return (
      Swift.min(Swift.min(lo.0, lo.1), Swift.min(lo.2, lo.3)),
      Swift.max(Swift.max(hi.0, hi.1), Swift.max(hi.2, hi.3))
    )
  }
}
