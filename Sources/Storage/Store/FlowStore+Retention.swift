#if canImport(Glibc)
  import Glibc
#endif

extension FlowStore {
  /// Drops whole segments older than each table's retention, relative to `now` (ms).
  /// Returns the number of segments dropped.
  @discardableResult
  public func enforceRetention(now: Int64) throws(StorageError) -> Int {
    var dropped = 0
    for table in lock.withLock({ _ in Array(schemas.keys) }) {
      guard let keep = try catalog.retention(table: table) else { continue }
      let files = try catalog.dropSegments(table: table, olderThan: now - keep)
      for f in files { try fs.unlink(layout.segment(f)) }
      dropped += files.count
    }
    if dropped > 0 { options.onEvent?(.retentionDropped(segments: dropped)) }
    return dropped
  }

  /// Sets how long a table keeps its rows (nil: forever).
  public func setRetention(table: String, milliseconds: Int64?) throws(StorageError) {
    try catalog.setRetention(table: table, milliseconds: milliseconds)
  }
}
