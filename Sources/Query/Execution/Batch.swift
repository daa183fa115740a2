import Storage

/// Rows of one batch: one vector per scan slot, all `count` long.
struct Batch: Sendable {
  var columns: [Vec]
  var count: Int
  /// The zone maps of the block the rows come from, by scan slot (nil: unknown), so a filter
  /// can skip a conjunct the block's bounds already prove for every row.
  var zones: [ZoneMap?]? = nil
}
