import Storage

/// The logical type of a FlowQL expression.
public enum DataType: String, Sendable, Hashable, CustomStringConvertible {
  /// true / false.
  case bool
  /// 64-bit signed integer (every stored integer column widens to it).
  case int
  /// 64-bit IEEE float.
  case float
  /// UTF-8 text.
  case string
  /// IPv4 or IPv6 address.
  case ip
  /// Milliseconds since the Unix epoch, UTC.
  case timestamp
  /// A length of time in milliseconds.
  case duration
  /// The type of a bare NULL literal (fits anywhere).
  case null

  /// The type name as users see it.
  public var description: String { rawValue }

  /// The logical type of a stored column type.
  public init(_ column: ColumnType) {
    switch column {
    case .uint8, .uint16, .uint32, .uint64: self = .int
    case .timestamp: self = .timestamp
    case .ip: self = .ip
    case .string: self = .string
    }
  }

  /// True for int and float.
  var isNumeric: Bool { self == .int || self == .float }

  /// True when values of the two types can be compared with each other.
  func isComparable(with other: DataType) -> Bool {
    self == other || self == .null || other == .null || (isNumeric && other.isNumeric)
  }
}
