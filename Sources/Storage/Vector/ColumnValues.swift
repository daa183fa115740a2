/// The values of one column for a run of rows, in the array type that matches its ``ColumnType``.
///
/// Rows that are NULL hold a placeholder (0, `.zero` or `""`); the vector's validity bitmap says
/// which rows are NULL.
public enum ColumnValues: Sendable, Equatable {
  case uint8([UInt8])
  case uint16([UInt16])
  case uint32([UInt32])
  case uint64([UInt64])
  case timestamp([Int64])
  case ip([IPAddress])
  case string([String])

  /// The column type these values belong to.
  public var type: ColumnType {
    switch self {
    case .uint8: .uint8
    case .uint16: .uint16
    case .uint32: .uint32
    case .uint64: .uint64
    case .timestamp: .timestamp
    case .ip: .ip
    case .string: .string
    }
  }

  /// The number of values.
  public var count: Int {
    switch self {
    case .uint8(let a): a.count
    case .uint16(let a): a.count
    case .uint32(let a): a.count
    case .uint64(let a): a.count
    case .timestamp(let a): a.count
    case .ip(let a): a.count
    case .string(let a): a.count
    }
  }

  /// `count` placeholder values of `type`.
  public static func placeholders(_ type: ColumnType, count: Int) -> ColumnValues {
    switch type {
    case .uint8: .uint8(.init(repeating: 0, count: count))
    case .uint16: .uint16(.init(repeating: 0, count: count))
    case .uint32: .uint32(.init(repeating: 0, count: count))
    case .uint64: .uint64(.init(repeating: 0, count: count))
    case .timestamp: .timestamp(.init(repeating: 0, count: count))
    case .ip: .ip(.init(repeating: .zero, count: count))
    case .string: .string(.init(repeating: "", count: count))
    }
  }

  /// The values at `range`.
  public func slice(_ range: Range<Int>) -> ColumnValues {
    switch self {
    case .uint8(let a): .uint8(Array(a[range]))
    case .uint16(let a): .uint16(Array(a[range]))
    case .uint32(let a): .uint32(Array(a[range]))
    case .uint64(let a): .uint64(Array(a[range]))
    case .timestamp(let a): .timestamp(Array(a[range]))
    case .ip(let a): .ip(Array(a[range]))
    case .string(let a): .string(Array(a[range]))
    }
  }

  /// Appends `other`, which must have the same type, in place (amortised O(other.count)).
  public mutating func append(_ other: ColumnValues) {
    precondition(other.type == type, "appending \(other.type) values to a \(type) column")
    edit(Append(other: other))
  }

  /// Appends the values of `other` at `rows` (same type), in place.
  public mutating func append(_ other: ColumnValues, rows: Range<Int>) {
    precondition(other.type == type, "appending \(other.type) values to a \(type) column")
    edit(AppendRange(other: other, rows: rows))
  }

  /// Makes room for at least `capacity` values without reallocating.
  public mutating func reserveCapacity(_ capacity: Int) {
    edit(Reserve(capacity: capacity))
  }

  /// Moves the values out as `[T]`, leaving this empty, so that the caller holds the array's
  /// only reference (and can reuse its memory). Nil, and nothing moved, when `T` is not the
  /// element type of this case.
  public mutating func take<T>(_: T.Type) -> [T]? {
    guard elementType == T.self else { return nil }
    let taken = array(of: T.self)
    self = .placeholders(type, count: 0)
    return taken
  }

  /// The element type of the array.
  var elementType: Any.Type {
    switch self {
    case .uint8: UInt8.self
    case .uint16: UInt16.self
    case .uint32: UInt32.self
    case .uint64: UInt64.self
    case .timestamp: Int64.self
    case .ip: IPAddress.self
    case .string: String.self
    }
  }

  /// Removes every value; with `keepingCapacity`, the array keeps its memory for reuse.
  public mutating func removeAll(keepingCapacity: Bool = false) {
    edit(RemoveAll(keepingCapacity: keepingCapacity))
  }

  /// Applies `change` to the array, whatever its element type. `self` is emptied meanwhile, so
  /// the array stays uniquely referenced and is changed in place instead of being copied.
  private mutating func edit(_ change: some ArrayChange) {
    switch self {
    case .uint8(var a):
      self = .uint8([])
      change.apply(&a)
      self = .uint8(a)
    case .uint16(var a):
      self = .uint16([])
      change.apply(&a)
      self = .uint16(a)
    case .uint32(var a):
      self = .uint32([])
      change.apply(&a)
      self = .uint32(a)
    case .uint64(var a):
      self = .uint64([])
      change.apply(&a)
      self = .uint64(a)
    case .timestamp(var a):
      self = .timestamp([])
      change.apply(&a)
      self = .timestamp(a)
    case .ip(var a):
      self = .ip([])
      change.apply(&a)
      self = .ip(a)
    case .string(var a):
      self = .string([])
      change.apply(&a)
      self = .string(a)
    }
  }

  /// The values as `[T]`; `T` must be the element type of this case (checked once, then the
  /// array is reinterpreted in O(1), not converted element by element).
  fileprivate func array<T>(of _: T.Type) -> [T] {
    func same<U>(_ a: [U]) -> [T] {
      precondition(U.self == T.self, "\(U.self) values are not \(T.self)")
      return unsafeBitCast(a, to: [T].self)
    }
    switch self {
    case .uint8(let a): return same(a)
    case .uint16(let a): return same(a)
    case .uint32(let a): return same(a)
    case .uint64(let a): return same(a)
    case .timestamp(let a): return same(a)
    case .ip(let a): return same(a)
    case .string(let a): return same(a)
    }
  }

  /// The values reordered by `order` (a permutation of the row indices).
  public func gather(_ order: [Int]) -> ColumnValues {
    switch self {
    case .uint8(let a): .uint8(order.map { a[$0] })
    case .uint16(let a): .uint16(order.map { a[$0] })
    case .uint32(let a): .uint32(order.map { a[$0] })
    case .uint64(let a): .uint64(order.map { a[$0] })
    case .timestamp(let a): .timestamp(order.map { a[$0] })
    case .ip(let a): .ip(order.map { a[$0] })
    case .string(let a): .string(order.map { a[$0] })
    }
  }
}

/// A change to an array of any element type, applied by `ColumnValues.edit`.
private protocol ArrayChange {
  /// Changes `array` in place.
  func apply<T>(_ array: inout [T])
}

/// Appends another column's values (of the same element type).
private struct Append: ArrayChange {
  let other: ColumnValues
  func apply<T>(_ array: inout [T]) { array.append(contentsOf: other.array(of: T.self)) }
}

/// Appends a range of another column's values (of the same element type).
private struct AppendRange: ArrayChange {
  let other: ColumnValues
  let rows: Range<Int>
  func apply<T>(_ array: inout [T]) { array.append(contentsOf: other.array(of: T.self)[rows]) }
}

/// Reserves capacity.
private struct Reserve: ArrayChange {
  let capacity: Int
  func apply<T>(_ array: inout [T]) { array.reserveCapacity(capacity) }
}

/// Empties the array.
private struct RemoveAll: ArrayChange {
  let keepingCapacity: Bool
  func apply<T>(_ array: inout [T]) { array.removeAll(keepingCapacity: keepingCapacity) }
}
