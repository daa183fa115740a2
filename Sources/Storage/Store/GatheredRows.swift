/// Rows of one table copied together column by column into one batch: the parts of a block
/// that spans two appended batches, small appended batches, and rows to be reordered.
///
/// A column absent from every part so far stays absent (all NULL); one absent from some parts
/// is NULL in their rows.
struct GatheredRows {
  /// The table's schema.
  let schema: TableSchema
  /// One vector per schema column; nil while every row so far is NULL.
  private(set) var columns: [ColumnVector?]
  /// The number of rows held.
  private(set) var rowCount = 0
  /// Rows the arrays are sized for when a column first gets values.
  private let capacity: Int

  /// No rows of `schema` yet; `capacity` is the number of rows expected.
  init(schema: TableSchema, capacity: Int = 0) {
    self.schema = schema
    self.capacity = capacity
    columns = [ColumnVector?](repeating: nil, count: schema.columns.count)
  }

  /// Appends a whole batch of this table (same columns).
  mutating func append(_ batch: ColumnBatch) {
    append(batch, rows: 0..<batch.rowCount)
  }

  /// Appends rows `rows` of a batch of this table (same columns).
  mutating func append(_ batch: ColumnBatch, rows: Range<Int>) {
    let n = rows.count
    for i in columns.indices {
      let type = schema.columns[i].type
      guard let add = batch.columns[i] else {
        if columns[i] != nil { appendColumn(i, .nulls(type, count: n), rows: 0..<n) }
        continue
      }
      if columns[i] == nil && rowCount > 0 { columns[i] = .nulls(type, count: rowCount) }
      appendColumn(i, add, rows: rows)
    }
    rowCount += n
  }

  /// Appends rows `rows` of `add` to column `i`, taking the vector out of the array while it
  /// grows so that its buffers stay uniquely referenced (extended in place, not copied).
  private mutating func appendColumn(_ i: Int, _ add: ColumnVector, rows: Range<Int>) {
    var v: ColumnVector
    if let held = columns[i] {
      v = held
      columns[i] = nil
    } else if capacity > 0 {
      v = ColumnVector(.placeholders(add.values.type, count: 0))
      v.values.reserveCapacity(capacity)
    } else {
      columns[i] = rows == 0..<add.count ? add : add.slice(rows)
      return
    }
    v.append(add, rows: rows)
    columns[i] = v
  }

  /// The rows as one batch (sharing the column arrays).
  var batch: ColumnBatch { ColumnBatch(schema: schema, rowCount: rowCount, positional: columns) }
}
