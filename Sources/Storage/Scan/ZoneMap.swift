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
    let nulls = validity.map { v in rows.reduce(0) { $0 + (v[$1] ? 0 : 1) } } ?? 0
    rowCount = rows.count
    nullCount = nulls
    if nulls == rows.count {
      bounds = .none
      return
    }
    func range<T: Comparable>(_ all: [T]) -> (T, T) {
      let a = all[rows]
      if nulls == 0 {
        var lo = a[a.startIndex]
        var hi = lo
        for v in a {
          lo = Swift.min(lo, v)
          hi = Swift.max(hi, v)
        }
        return (lo, hi)
      }
      var lo = a[a.startIndex]
      var hi = lo
      var first = true
      for i in a.indices where validity![i] {
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
}
