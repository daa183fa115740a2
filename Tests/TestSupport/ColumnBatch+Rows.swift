import Storage

extension ColumnBatch {
  /// Every row as one text line of all its columns (NULL for a NULL), for order-independent
  /// comparisons of whole rows (sort both sides).
  public var rowLines: [String] {
    let cols = schema.columns.indices.map {
      columns[$0] ?? .nulls(schema.columns[$0].type, count: rowCount)
    }
    return (0..<rowCount).map { r in cols.map { cellText($0, r) }.joined(separator: "|") }
  }
}

/// Row `r` of `v` as text: NULL, a number, `t` and the milliseconds of a timestamp, an address,
/// or a quoted string.
public func cellText(_ v: ColumnVector, _ r: Int) -> String {
  guard v.isValid(r) else { return "NULL" }
  switch v.values {
  case .uint8(let a): return "\(a[r])"
  case .uint16(let a): return "\(a[r])"
  case .uint32(let a): return "\(a[r])"
  case .uint64(let a): return "\(a[r])"
  case .timestamp(let a): return "t\(a[r])"
  case .ip(let a): return a[r].description
  case .string(let a): return "'\(a[r])'"
  }
}
