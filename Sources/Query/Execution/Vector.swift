import Storage

/// A column of values for one batch, in a contiguous typed array, with optional validity.
///
/// Stored integer columns keep their physical width (`u8` … `u64`) so filters and aggregates can
/// loop over them directly; derived integers, timestamps and durations are `Int64`.
struct Vec: Sendable {
  /// The typed values (NULL rows hold placeholders).
  enum Data: Sendable {
    case bool([Bool])
    case int([Int64])
    case float([Double])
    case string([String])
    /// Strings as codes into a block's dictionary (`entries[codes[i]]`), as stored.
    case codes([UInt32], entries: [String])
    case ip([IPAddress])
    /// Addresses of a block that holds IPv4 only, as host-order values.
    case v4([UInt32])
    case u8([UInt8])
    case u16([UInt16])
    case u32([UInt32])
    case u64([UInt64])
  }

  var data: Data
  /// `valid[i]` is false for NULL rows; nil when no row is NULL.
  var valid: [Bool]?
  var count: Int

  init(_ data: Data, valid: [Bool]? = nil, count: Int) {
    self.data = data
    self.valid = valid
    self.count = count
  }

  @inline(__always) func isValid(_ i: Int) -> Bool { valid?[i] ?? true }

  /// The stored column's rows `range` (the whole vector when `range` covers it: no copy).
  static func from(_ column: ColumnVector, range: Range<Int>) -> Vec {
    let whole = range.lowerBound == 0 && range.upperBound == column.count
    func cut<T>(_ a: [T]) -> [T] { whole ? a : Array(a[range]) }
    let data: Data
    switch column.values {
    case .uint8(let a): data = .u8(cut(a))
    case .uint16(let a): data = .u16(cut(a))
    case .uint32(let a): data = .u32(cut(a))
    case .uint64(let a): data = .u64(cut(a))
    case .timestamp(let a): data = .int(cut(a))
    case .ip(let a): data = .ip(cut(a))
    case .string(let a): data = .string(cut(a))
    }
    let valid = validity(column.validity, range)
    return Vec(data, valid: valid, count: range.count)
  }

  /// Rows `range` of a validity bitmap as a vector's `valid` (nil when none of them is NULL).
  static func validity(_ bm: Bitmap?, _ range: Range<Int>) -> [Bool]? {
    guard let bm, bm.setCount(in: range) != range.count else { return nil }
    return bm.bools(range)
  }

  /// The integer values widened to Int64 (u64 by bit pattern).
  func ints() -> [Int64] {
    switch data {
    case .int(let a): return a
    case .u8(let a): return a.map { Int64($0) }
    case .u16(let a): return a.map { Int64($0) }
    case .u32(let a): return a.map { Int64($0) }
    case .u64(let a): return a.map { Int64(bitPattern: $0) }
    case .bool(let a): return a.map { $0 ? 1 : 0 }
    case .float(let a): return a.map { Int64($0) }
    default: preconditionFailure("not an integer vector")
    }
  }

  /// The numeric values as Double.
  func doubles() -> [Double] {
    if case .float(let a) = data { return a }
    return ints().map { Double($0) }
  }

  func bools() -> [Bool] {
    if case .bool(let a) = data { return a }
    preconditionFailure("not a boolean vector")
  }

  /// The strings, one per row (built from the dictionary for coded vectors).
  func strings() -> [String] {
    if case .string(let a) = data { return a }
    if case .codes(let c, let e) = data { return c.map { e[Int($0)] } }
    preconditionFailure("not a string vector")
  }

  /// A vector of `count` rows whose strings are `entries[codes[i]]`.
  static func coded(_ codes: [UInt32], _ entries: [String], valid: [Bool]?) -> Vec {
    Vec(.codes(codes, entries: entries), valid: valid, count: codes.count)
  }

  /// `f` applied to each distinct string: to each dictionary entry of a coded vector (the
  /// result keeps the codes), or to each string through ``mapStrings(_:_:)``.
  func mapEntries<T>(_ f: (String) -> T) -> (values: [T], codes: [UInt32]?) {
    if case .codes(let c, let e) = data { return (e.map(f), c) }
    return (mapStrings(strings(), f), nil)
  }

  /// Per row, `f` of its string (computed once per dictionary entry or distinct string).
  func perRow<T>(_ f: (String) -> T) -> [T] {
    let (v, codes) = mapEntries(f)
    guard let codes else { return v }
    return codes.map { v[Int($0)] }
  }

  /// The addresses (built from the IPv4 values for narrow vectors).
  func ips() -> [IPAddress] {
    if case .ip(let a) = data { return a }
    if case .v4(let a) = data { return a.map { IPAddress(v4: $0) } }
    preconditionFailure("not an address vector")
  }

  /// Row `i` as a ``Value`` of logical type `type` (for result rows, not hot loops).
  func value(_ i: Int, _ type: DataType) -> Value {
    guard isValid(i) else { return .null }
    switch data {
    case .bool(let a): return .bool(a[i])
    case .float(let a): return .float(a[i])
    case .string(let a): return .string(a[i])
    case .codes(let c, let e): return .string(e[Int(c[i])])
    case .ip(let a): return .ip(a[i])
    case .v4(let a): return .ip(IPAddress(v4: a[i]))
    default:
      let v: Int64
      switch data {
      case .int(let a): v = a[i]
      case .u8(let a): v = Int64(a[i])
      case .u16(let a): v = Int64(a[i])
      case .u32(let a): v = Int64(a[i])
      case .u64(let a): v = Int64(bitPattern: a[i])
      default: v = 0
      }
      switch type {
      case .timestamp: return .timestamp(v)
      case .duration: return .duration(v)
      default: return .int(v)
      }
    }
  }

  /// A vector of `count` copies of `value`.
  static func broadcast(_ value: Value, _ type: DataType, count: Int) -> Vec {
    let valid: [Bool]? = value.isNull ? [Bool](repeating: false, count: count) : nil
    switch (value, type) {
    case (.bool(let b), _): return Vec(.bool(.init(repeating: b, count: count)), count: count)
    case (.float(let f), _): return Vec(.float(.init(repeating: f, count: count)), count: count)
    case (.int(let v), .float):
      return Vec(.float(.init(repeating: Double(v), count: count)), count: count)
    case (.string(let s), _):
      return Vec(.string(.init(repeating: s, count: count)), count: count)
    case (.ip(let a), _): return Vec(.ip(.init(repeating: a, count: count)), count: count)
    case (.int(let v), _), (.timestamp(let v), _), (.duration(let v), _):
      return Vec(.int(.init(repeating: v, count: count)), count: count)
    case (.null, _):
      return Vec(placeholder(type, count: count), valid: valid, count: count)
    }
  }

  static func placeholder(_ type: DataType, count: Int) -> Data {
    switch type {
    case .bool, .null: .bool(.init(repeating: false, count: count))
    case .float: .float(.init(repeating: 0, count: count))
    case .string: .string(.init(repeating: "", count: count))
    case .ip: .ip(.init(repeating: .zero, count: count))
    case .int, .timestamp, .duration: .int(.init(repeating: 0, count: count))
    }
  }

  /// Builds a vector from values of one logical type.
  static func from(values: [Value], type: DataType) -> Vec {
    let n = values.count
    var valid = [Bool](repeating: true, count: n)
    var anyNull = false
    for (i, v) in values.enumerated() where v.isNull {
      valid[i] = false
      anyNull = true
    }
    let data: Data
    switch type {
    case .bool, .null: data = .bool(values.map { if case .bool(let b) = $0 { b } else { false } })
    case .float: data = .float(values.map { $0.doubleValue ?? 0 })
    case .string: data = .string(values.map { if case .string(let s) = $0 { s } else { "" } })
    case .ip: data = .ip(values.map { if case .ip(let a) = $0 { a } else { .zero } })
    case .int, .timestamp, .duration: data = .int(values.map { $0.intValue ?? 0 })
    }
    return Vec(data, valid: anyNull ? valid : nil, count: n)
  }
}

/// Combines two validity arrays (a row is valid when valid in both).
@inline(__always) func andValid(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
  guard let a else { return b }
  guard let b else { return a }
  var out = a
  for i in out.indices { out[i] = a[i] && b[i] }
  return out
}
