import Storage

/// Column values as optionals (nil for NULL), for comparing a batch with expected values.
extension ColumnBatch {
  /// The integer (or timestamp) column `name`, widened to `UInt64`.
  public func ints(_ name: String) -> [UInt64?] {
    let v = column(name)!
    let vals: [UInt64]
    switch v.values {
    case .uint8(let a): vals = a.map(UInt64.init)
    case .uint16(let a): vals = a.map(UInt64.init)
    case .uint32(let a): vals = a.map(UInt64.init)
    case .uint64(let a): vals = a
    case .timestamp(let a): vals = a.map { UInt64(bitPattern: $0) }
    default: vals = []
    }
    return vals.indices.map { v.isValid($0) ? vals[$0] : nil }
  }

  /// The string column `name`.
  public func strings(_ name: String) -> [String?] {
    let v = column(name)!
    guard case .string(let a) = v.values else { return [] }
    return a.indices.map { v.isValid($0) ? a[$0] : nil }
  }

  /// The address column `name`.
  public func ips(_ name: String) -> [IPAddress?] {
    let v = column(name)!
    guard case .ip(let a) = v.values else { return [] }
    return a.indices.map { v.isValid($0) ? a[$0] : nil }
  }
}
