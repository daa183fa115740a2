/// What a scan touched, for EXPLAIN and timing output.
public struct ScanStats: Sendable, Equatable {
  /// Segments kept by the time range.
  public var segmentsKept = 0
  /// Segments pruned by the time range.
  public var segmentsPruned = 0
  /// Blocks (scan units) kept after zone-map pruning.
  public var blocksKept = 0
  /// Blocks skipped because their zone maps exclude the filter.
  public var blocksPruned = 0
  /// Rows in the kept blocks.
  public var rowsScanned = 0

  /// Adds another scan's counts (COMPARE scans twice).
  mutating func add(_ o: ScanStats) {
    segmentsKept += o.segmentsKept
    segmentsPruned += o.segmentsPruned
    blocksKept += o.blocksKept
    blocksPruned += o.blocksPruned
    rowsScanned += o.rowsScanned
  }
}
