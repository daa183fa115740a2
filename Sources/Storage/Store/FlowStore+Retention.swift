#if canImport(Glibc)
  import Glibc
#endif

extension FlowStore {
  /// Drops whole segments older than each table's retention, relative to `now` (ms).
  /// Returns the number of segments dropped.
  @discardableResult
  public func enforceRetention(now: Int64) throws(StorageError) -> Int {
    var dropped = 0
    for table in lock.withLock({ Array(schemas.keys) }) {
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

/// Wall-clock milliseconds since the epoch.
public func wallMilliseconds() -> Int64 {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
