/// The rows of one table appended but not yet sealed: those that came in time order, encoded as
/// they came (``OrderedRows``), then, from the first append out of order until the next seal,
/// the appended batches as they are (``ActiveRows``), which the seal sorts (``SealPlan``).
struct UnsealedRows {
  /// The time-ordered rows; nil for a table without a `time` column.
  private(set) var ordered: OrderedRows?
  /// The rows after the first append out of order.
  private(set) var rest: ActiveRows

  /// No rows of `schema` yet; blocks of `blockRows` rows, partitions `width` ms wide.
  init(schema: TableSchema, blockRows: Int, width: Int64) {
    ordered = OrderedRows(schema: schema, blockRows: blockRows, width: width)
    rest = ActiveRows(schema: schema)
  }

  /// The number of rows held.
  var rowCount: Int { (ordered?.rowCount ?? 0) + rest.rowCount }

  /// Appends a batch of this table, encoding the blocks it completes on up to `threads`
  /// threads. Returns true when its rows were encoded or copied, so that nothing here holds it.
  mutating func append(_ batch: ColumnBatch, threads: Int) -> Bool {
    if rest.rowCount == 0, ordered?.append(batch, threads: threads) == true { return true }
    rest.append(batch)
    return false
  }

  /// `batch` encoded for the WAL to log as blocks (``OrderedRows/prepare(_:threads:)``); nil
  /// when it is to be logged and appended as it is.
  func prepare(_ batch: ColumnBatch, threads: Int) -> OrderedRows.Prepared? {
    guard rest.rowCount == 0 else { return nil }
    return ordered?.prepare(batch, threads: threads)
  }

  /// Takes an append prepared by ``prepare(_:threads:)``.
  mutating func commit(_ p: OrderedRows.Prepared) {
    ordered?.commit(p)
  }

  /// Drops every row (after a seal).
  mutating func reset() {
    ordered?.reset()
    rest.reset()
  }
}
