import Storage

/// The integer element columns of one width in a ``FlowBatchBuilder``: those of
/// ``ElementColumns/integers`` whose type in ``Storage/FlowSchema/flows`` stores `T`.
struct IntegerColumnSet<T: FixedWidthInteger & Sendable>: Sendable {
  var columns: [NullableColumn<T>]
  /// Each column's position in ``ElementColumns/integers``.
  let keys: [Int]
  /// Each column's mask (``ElementColumn/mask``).
  let masks: [T]
  /// Wraps the column's values for its batch vector.
  let wrap: @Sendable ([T]) -> ColumnValues

  /// The columns stored as `type`, which holds `T` (`wrap` makes its vectors).
  init(_ type: ColumnType, _ wrap: @escaping @Sendable ([T]) -> ColumnValues) {
    keys = ElementColumns.integers.indices.filter {
      ElementColumns.type(of: ElementColumns.integers[$0].name) == type
    }
    masks = keys.map { T(truncatingIfNeeded: ElementColumns.integers[$0].mask) }
    columns = [NullableColumn<T>](repeating: NullableColumn(0), count: keys.count)
    self.wrap = wrap
  }

  /// Appends one record's values (``FlowRecord/integers``).
  @inline(__always)
  mutating func append(_ integers: RecordIntegers) {
    // One exclusive access to the array for all its columns, not one per column.
    columns.withUnsafeMutableBufferPointer { columns in
      for i in columns.indices {
        columns[i].append(integers[keys[i]].map { T(truncatingIfNeeded: $0) & masks[i] })
      }
    }
  }

  /// Appends a run's values read with `plan` (NULLs where the template has no such field).
  @inline(__always)
  mutating func load(_ plan: ColumnPlan, _ run: RecordRun) {
    columns.withUnsafeMutableBufferPointer { columns in
      for i in columns.indices { columns[i].load(plan.integers[keys[i]], run, mask: masks[i]) }
    }
  }

  /// Adds each column's vector (nil when all NULL) to `all` by name.
  func vectors(into all: inout [String: ColumnVector?]) {
    for i in columns.indices {
      all[ElementColumns.integers[keys[i]].name] = columns[i].vector(wrap)
    }
  }

  /// Takes the arrays of the columns `take` gives by name, for the next rows.
  mutating func adopt(_ take: (String) -> [T]?) {
    for i in columns.indices {
      if let a = take(ElementColumns.integers[keys[i]].name) { columns[i].values = a }
    }
  }

  mutating func removeAll() {
    for i in columns.indices { columns[i].removeAll() }
  }

  mutating func reserve(_ n: Int) {
    for i in columns.indices { columns[i].reserve(n) }
  }
}
