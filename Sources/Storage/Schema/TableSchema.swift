/// The ordered columns of a table at one schema version.
///
/// Schemas only grow: a later version appends columns, so a segment written at an older
/// version is read by mapping the columns it has and reading the rest as NULL.
public struct TableSchema: Sendable, Hashable {
  /// The table name.
  public let name: String
  /// The schema version.
  public let version: Int
  /// The columns, in storage order.
  public let columns: [ColumnDefinition]

  /// Creates a schema.
  public init(name: String, version: Int, columns: [ColumnDefinition]) {
    self.name = name
    self.version = version
    self.columns = columns
  }

  /// The position of the column called `name`, or nil.
  public func index(of name: String) -> Int? {
    columns.firstIndex { $0.name == name }
  }

  /// The column called `name`, or nil.
  public func column(named name: String) -> ColumnDefinition? {
    index(of: name).map { columns[$0] }
  }

  /// The position of the column with `role`, or nil.
  public func index(of role: ColumnRole) -> Int? {
    columns.firstIndex { $0.role == role }
  }

  /// The position of the time column (``ColumnRole/time``), or nil when the table has none.
  public var timeIndex: Int? { index(of: .time) }

  /// This schema as `stored`, a version of it read back from a catalog, knows it: the columns
  /// of the later of the two versions (a store written by an older version gains the newer
  /// columns, which its segments read as NULL), then any column only `stored` has. The
  /// definitions (nullability, role) are this schema's.
  func merged(with stored: TableSchema) -> TableSchema {
    let extra = stored.columns.filter { index(of: $0.name) == nil }
    return TableSchema(
      name: name, version: max(version, stored.version), columns: columns + extra)
  }
}
