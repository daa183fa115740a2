/// The answer to a statement: named, typed columns and rows of values.
public struct QueryResult: Sendable, Equatable {
  /// The columns.
  public var columns: [ResultColumn]
  /// The rows, one value per column.
  public var rows: [[Value]]
  /// What the scan touched (nil for statements that scan nothing).
  public var stats: ScanStats?

  /// Creates a result.
  public init(columns: [ResultColumn], rows: [[Value]], stats: ScanStats? = nil) {
    self.columns = columns
    self.rows = rows
    self.stats = stats
  }
}
