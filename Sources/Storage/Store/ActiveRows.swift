/// The rows of one table appended but not yet sealed, kept as the appended batches themselves.
///
/// A large batch is held as it came, without copying: sealing encodes blocks straight from it
/// (``SealPlan``). Small batches are gathered into one (``GatheredRows``), so that many tiny
/// appends neither pile up arrays nor hold the spare capacity of their builders.
struct ActiveRows {
  /// Batches of at least this many rows are held as they are; smaller ones are gathered.
  static let sharedBatchRows = 32_768

  /// The table's schema.
  let schema: TableSchema
  /// The rows in append order: held batches and closed gathers.
  private(set) var parts: [ColumnBatch] = []
  /// Small batches being gathered, after `parts`.
  private var tail: GatheredRows?
  /// The number of rows held.
  private(set) var rowCount = 0

  /// No rows of `schema` yet.
  init(schema: TableSchema) {
    self.schema = schema
  }

  /// Appends a batch of this table (same columns).
  mutating func append(_ batch: ColumnBatch) {
    guard batch.rowCount > 0 else { return }
    rowCount += batch.rowCount
    if batch.rowCount >= Self.sharedBatchRows {
      closeTail()
      parts.append(batch)
      return
    }
    if tail == nil { tail = GatheredRows(schema: schema, capacity: Self.sharedBatchRows) }
    tail!.append(batch)
    if tail!.rowCount >= Self.sharedBatchRows { closeTail() }
  }

  private mutating func closeTail() {
    guard let t = tail else { return }
    tail = nil
    parts.append(t.batch)
  }

  /// Every part, the open gather included, in append order.
  var batches: [ColumnBatch] {
    guard let t = tail else { return parts }
    return parts + [t.batch]
  }

  /// The rows as one batch (a copy unless there is a single part).
  var batch: ColumnBatch { FlowStore.concatenate(batches, schema: schema) }

  /// Drops every row.
  mutating func reset() {
    parts.removeAll()
    tail = nil
    rowCount = 0
  }
}
