/// Rows of one table in columnar form: one vector per schema column, all the same length.
///
/// This is the unit of the append API and of WAL entries. A column the producer did not fill is
/// nil and reads as all NULL.
public struct ColumnBatch: Sendable, Equatable {
  /// The schema the columns follow.
  public let schema: TableSchema
  /// The number of rows.
  public let rowCount: Int
  /// One entry per schema column; nil means every row is NULL.
  public var columns: [ColumnVector?]

  /// Creates a batch from vectors by column name.
  ///
  /// - Throws: ``StorageError/invalidBatch(_:)`` for an unknown name, a wrong type or a length
  ///   other than `rowCount`.
  public init(
    schema: TableSchema, rowCount: Int, columns named: [String: ColumnVector]
  ) throws(StorageError) {
    var cols = [ColumnVector?](repeating: nil, count: schema.columns.count)
    for (name, vector) in named {
      guard let i = schema.index(of: name) else {
        throw .invalidBatch("no column '\(name)' in table \(schema.name)")
      }
      guard vector.type == schema.columns[i].type else {
        throw .invalidBatch(
          "column '\(name)' is \(schema.columns[i].type), the batch gave \(vector.type)")
      }
      guard vector.count == rowCount else {
        throw .invalidBatch("column '\(name)' has \(vector.count) rows, the batch \(rowCount)")
      }
      cols[i] = vector
    }
    self.schema = schema
    self.rowCount = rowCount
    self.columns = cols
  }

  /// Creates a batch from positional columns (already checked by the caller).
  init(schema: TableSchema, rowCount: Int, positional: [ColumnVector?]) {
    self.schema = schema
    self.rowCount = rowCount
    self.columns = positional
  }

  /// The vector of the column called `name`, materialising NULLs for an absent column.
  public func column(_ name: String) -> ColumnVector? {
    guard let i = schema.index(of: name) else { return nil }
    return columns[i] ?? .nulls(schema.columns[i].type, count: rowCount)
  }
}
