/// The rows of one table appended but not yet sealed, gathered column by column as they come.
///
/// Each append extends the column arrays in place, so sealing finds one batch ready instead of
/// joining many, and ``reset()`` empties the arrays but keeps their memory: after the first
/// seal, appending refills pages already mapped instead of faulting in fresh ones.
struct ActiveRows {
  /// The table's schema.
  let schema: TableSchema
  /// One vector per schema column; nil while every row so far is NULL.
  private(set) var columns: [ColumnVector?]
  /// The number of rows held.
  private(set) var rowCount = 0

  /// No rows of `schema` yet.
  init(schema: TableSchema) {
    self.schema = schema
    columns = [ColumnVector?](repeating: nil, count: schema.columns.count)
  }

  /// Appends a batch of this table (same columns).
  mutating func append(_ batch: ColumnBatch) {
    for i in columns.indices {
      let type = schema.columns[i].type
      guard let add = batch.columns[i] else {
        if columns[i] != nil { appendColumn(i, .nulls(type, count: batch.rowCount)) }
        continue
      }
      if columns[i] == nil && rowCount > 0 { columns[i] = .nulls(type, count: rowCount) }
      appendColumn(i, add)
    }
    rowCount += batch.rowCount
  }

  /// Appends `add` to column `i`, taking the vector out of the array while it grows so that its
  /// buffers stay uniquely referenced (extended in place, not copied).
  private mutating func appendColumn(_ i: Int, _ add: ColumnVector) {
    guard var v = columns[i] else {
      columns[i] = add
      return
    }
    columns[i] = nil
    v.append(add)
    columns[i] = v
  }

  /// The rows as one batch (sharing the column arrays).
  var batch: ColumnBatch { ColumnBatch(schema: schema, rowCount: rowCount, positional: columns) }

  /// Drops every row, keeping the arrays' capacity for the next ones.
  mutating func reset() {
    for i in columns.indices {
      guard var v = columns[i] else { continue }
      columns[i] = nil
      v.values.removeAll(keepingCapacity: true)
      v.validity = nil
      columns[i] = v
    }
    rowCount = 0
  }
}
