/// What a column means to the store and the engine beyond its name and type.
public enum ColumnRole: Sendable, Hashable {
  /// The row's time: segments are partitioned and sorted by it, blocks keep its zone map, the
  /// other timestamps are encoded against it, and time ranges (`SINCE`, `COMPARE`) filter it.
  case time
  /// When the row's event ended.
  case endTime
}

/// One column of a table: its name, type, nullability, role and the schema version that
/// introduced it.
public struct ColumnDefinition: Sendable, Hashable {
  /// The snake_case column name users query by.
  public let name: String
  /// The physical type.
  public let type: ColumnType
  /// False when every row has a value (the producer always fills it).
  public let nullable: Bool
  /// What the column means (the time column, ...), or nil for an ordinary column.
  public let role: ColumnRole?
  /// The schema version in which this column first appeared; older segments read it as NULL.
  public let since: Int

  /// Creates a column definition.
  public init(
    _ name: String, _ type: ColumnType, nullable: Bool = true, role: ColumnRole? = nil,
    since: Int = 1
  ) {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.role = role
    self.since = since
  }
}
