import Storage

/// One scalar value: the currency of constants, result rows and the row-at-a-time evaluator.
public enum Value: Sendable, Hashable, CustomStringConvertible {
  /// SQL NULL.
  case null
  /// A boolean.
  case bool(Bool)
  /// An integer.
  case int(Int64)
  /// A float.
  case float(Double)
  /// A string.
  case string(String)
  /// An address.
  case ip(IPAddress)
  /// A timestamp in ms since the epoch.
  case timestamp(Int64)
  /// A duration in ms.
  case duration(Int64)

  /// True for NULL.
  public var isNull: Bool { if case .null = self { return true } else { return false } }

  /// The type of the value (`.null` for NULL).
  public var type: DataType {
    switch self {
    case .null: .null
    case .bool: .bool
    case .int: .int
    case .float: .float
    case .string: .string
    case .ip: .ip
    case .timestamp: .timestamp
    case .duration: .duration
    }
  }

  /// The integer payload of int, timestamp and duration values.
  var intValue: Int64? {
    switch self {
    case .int(let v), .timestamp(let v), .duration(let v): v
    default: nil
    }
  }

  /// The numeric value as a Double (ints widen).
  var doubleValue: Double? {
    switch self {
    case .int(let v): Double(v)
    case .float(let v): v
    default: nil
    }
  }

  /// Human-readable text (timestamps in ISO 8601 UTC with ms, canonical addresses).
  public var description: String {
    switch self {
    case .null: "NULL"
    case .bool(let b): b ? "true" : "false"
    case .int(let v): String(v)
    case .float(let v): formatFloat(v)
    case .string(let s): s
    case .ip(let a): a.description
    case .timestamp(let t): formatTimestamp(t)
    case .duration(let d): formatDuration(d)
    }
  }

  /// SQL comparison: nil when either side is NULL; ints and floats compare numerically.
  static func compare(_ a: Value, _ b: Value) -> Int? {
    switch (a, b) {
    case (.null, _), (_, .null): return nil
    case (.int(let x), .int(let y)), (.timestamp(let x), .timestamp(let y)),
      (.duration(let x), .duration(let y)):
      return x < y ? -1 : x > y ? 1 : 0
    case (.float(let x), .float(let y)): return x < y ? -1 : x > y ? 1 : 0
    case (.int(let x), .float(let y)): return Double(x) < y ? -1 : Double(x) > y ? 1 : 0
    case (.float(let x), .int(let y)): return x < Double(y) ? -1 : x > Double(y) ? 1 : 0
    case (.string(let x), .string(let y)): return x < y ? -1 : x > y ? 1 : 0
    case (.ip(let x), .ip(let y)): return x < y ? -1 : x > y ? 1 : 0
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    default: return nil
    }
  }

  /// Total order for sorting: NULLs after every value, otherwise ``compare(_:_:)``.
  static func sortOrder(_ a: Value, _ b: Value) -> Int {
    switch (a.isNull, b.isNull) {
    case (true, true): return 0
    case (true, false): return 1
    case (false, true): return -1
    default: return compare(a, b) ?? 0
    }
  }
}

/// Shortest round-trip text for a float, with no exponent for ordinary magnitudes.
func formatFloat(_ v: Double) -> String {
  if v.isNaN { return "NaN" }
  if v.isInfinite { return v > 0 ? "inf" : "-inf" }
  if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) + ".0" }
  return String(v)
}

/// A duration as its largest exact unit (`5m`, `90s`, `1500ms`).
func formatDuration(_ ms: Int64) -> String {
  if ms == 0 { return "0s" }
  for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
  where ms % size == 0 {
    return "\(ms / size)\(unit)"
  }
  return "\(ms)ms"
}
