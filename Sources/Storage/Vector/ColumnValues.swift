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

  /// Appends `other`, which must have the same type.
  ///
  /// `self` is emptied while its array grows, so the array stays uniquely referenced and is
  /// extended in place (amortised O(other.count)) instead of being copied on every append.
  public mutating func append(_ other: ColumnValues) {
    func mismatch() -> Never {
      preconditionFailure("appending \(other.type) values to a \(type) column")
    }
    switch self {
    case .uint8(var a):
      guard case .uint8(let b) = other else { mismatch() }
      self = .uint8([])
      a.append(contentsOf: b)
      self = .uint8(a)
    case .uint16(var a):
      guard case .uint16(let b) = other else { mismatch() }
      self = .uint16([])
      a.append(contentsOf: b)
      self = .uint16(a)
    case .uint32(var a):
      guard case .uint32(let b) = other else { mismatch() }
      self = .uint32([])
      a.append(contentsOf: b)
      self = .uint32(a)
    case .uint64(var a):
      guard case .uint64(let b) = other else { mismatch() }
      self = .uint64([])
      a.append(contentsOf: b)
      self = .uint64(a)
    case .timestamp(var a):
      guard case .timestamp(let b) = other else { mismatch() }
      self = .timestamp([])
      a.append(contentsOf: b)
      self = .timestamp(a)
    case .ip(var a):
      guard case .ip(let b) = other else { mismatch() }
      self = .ip([])
      a.append(contentsOf: b)
      self = .ip(a)
    case .string(var a):
      guard case .string(let b) = other else { mismatch() }
      self = .string([])
      a.append(contentsOf: b)
      self = .string(a)
    }
  }

  /// Removes every value; with `keepingCapacity`, the array keeps its memory for reuse.
  public mutating func removeAll(keepingCapacity: Bool = false) {
    switch self {
    case .uint8(var a):
      self = .uint8([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .uint8(a)
    case .uint16(var a):
      self = .uint16([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .uint16(a)
    case .uint32(var a):
      self = .uint32([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .uint32(a)
    case .uint64(var a):
      self = .uint64([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .uint64(a)
    case .timestamp(var a):
      self = .timestamp([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .timestamp(a)
    case .ip(var a):
      self = .ip([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .ip(a)
    case .string(var a):
      self = .string([])
      a.removeAll(keepingCapacity: keepingCapacity)
      self = .string(a)
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
