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
}
