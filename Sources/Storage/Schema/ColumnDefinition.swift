/// One column of a table: its name, type and the schema version that introduced it.
public struct ColumnDefinition: Sendable, Hashable {
  /// The snake_case column name users query by.
  public let name: String
  /// The physical type.
  public let type: ColumnType
  /// The schema version in which this column first appeared; older segments read it as NULL.
  public let since: Int

  /// Creates a column definition.
  public init(_ name: String, _ type: ColumnType, since: Int = 1) {
    self.name = name
    self.type = type
    self.since = since
  }
}
