/// The values of one column for a run of rows, with a validity bitmap for NULLs.
public struct ColumnVector: Sendable, Equatable {
  /// The values; NULL rows hold placeholders.
  public var values: ColumnValues
  /// Which rows are present; nil means no row is NULL.
  public var validity: Bitmap?

  /// Creates a vector. `validity`, when given, must have one bit per value.
  public init(_ values: ColumnValues, validity: Bitmap? = nil) {
    precondition(validity == nil || validity!.count == values.count, "validity length mismatch")
    self.values = values
    self.validity = validity
  }

  /// A vector of `count` NULLs.
  public static func nulls(_ type: ColumnType, count: Int) -> ColumnVector {
    ColumnVector(.placeholders(type, count: count), validity: Bitmap(count: count, value: false))
  }

  /// The number of rows.
  public var count: Int { values.count }

  /// The column type.
  public var type: ColumnType { values.type }

  /// The number of NULL rows.
  public var nullCount: Int { validity.map { $0.count - $0.setCount } ?? 0 }

  /// True when row `i` is not NULL.
  @inlinable public func isValid(_ i: Int) -> Bool { validity?[i] ?? true }

  /// The rows at `range`.
  public func slice(_ range: Range<Int>) -> ColumnVector {
    ColumnVector(values.slice(range), validity: validity?.slice(range))
  }

  /// Appends `other`'s rows.
  public mutating func append(_ other: ColumnVector) {
    if validity != nil || other.validity != nil {
      var v = validity ?? Bitmap(count: count, value: true)
      validity = nil  // so that `v` is extended in place
      v.append(contentsOf: other.validity ?? Bitmap(count: other.count, value: true))
      validity = v
    }
    values.append(other.values)
  }

  /// Appends `other`'s rows at `rows`.
  public mutating func append(_ other: ColumnVector, rows: Range<Int>) {
    if rows == 0..<other.count { return append(other) }
    if validity != nil || other.validity != nil {
      var v = validity ?? Bitmap(count: count, value: true)
      validity = nil  // so that `v` is extended in place
      v.append(contentsOf: other.validity?.slice(rows) ?? Bitmap(count: rows.count, value: true))
      validity = v
    }
    values.append(other.values, rows: rows)
  }

  /// The rows reordered by `order`.
  public func gather(_ order: [Int]) -> ColumnVector {
    guard let v = validity else { return ColumnVector(values.gather(order)) }
    var bits = Bitmap(count: order.count, value: false)
    for (i, j) in order.enumerated() where v[j] { bits[i] = true }
    return ColumnVector(values.gather(order), validity: bits)
  }
}
