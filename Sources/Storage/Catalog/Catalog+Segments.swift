import CSQLite

extension Catalog {
  /// The WAL sequence number up to which every appended row is in a sealed segment.
  func checkpoint() throws(StorageError) -> UInt64 {
    UInt64(try meta("wal_checkpoint") ?? "0") ?? 0
  }

  /// Records sealed segments and the new WAL checkpoint in one transaction.
  func commit(segments: [SegmentSummary], checkpoint: UInt64, now: Int64) throws(StorageError) {
    try db.transaction { () throws(StorageError) in
      let seg = try db.prepare(
        """
        INSERT INTO segments(table_name, file, partition_start, min_time, max_time, rows, bytes,
          raw_bytes, schema_version, created_ms)
        SELECT ?, ?, ?, ?, ?, ?, ?, ?, schema_version, ? FROM tables WHERE name = ?
        """)
      let col = try db.prepare(
        "INSERT INTO segment_columns(segment_id, name, stored_bytes, null_count) VALUES(?,?,?,?)")
      for s in segments {
        try seg.bind([
          .text(s.table), .text(s.file), .int(s.partition), .int(s.minTime), .int(s.maxTime),
          .int(Int64(s.rows)), .int(Int64(s.bytes)), .int(Int64(s.rawBytes)), .int(now),
          .text(s.table),
        ]).run()
        let id = sqlite3LastRowID(db)
        for c in s.columns {
          try col.bind([
            .int(id), .text(c.name), .int(Int64(c.storedBytes)), .int(Int64(c.nullCount)),
          ])
          .run()
        }
      }
      try setMeta("wal_checkpoint", String(checkpoint))
    }
  }

  /// Segments of `table`, optionally only those overlapping `range` (ms, half-open).
  func segments(table: String, overlapping range: Range<Int64>? = nil) throws(StorageError)
    -> [SegmentSummary]
  {
    let lo = range?.lowerBound ?? .min
    let hi = range?.upperBound ?? .max
    let s = try db.prepare(
      """
      SELECT file, partition_start, min_time, max_time, rows, bytes, raw_bytes FROM segments
      WHERE table_name = ? AND max_time >= ? AND min_time < ? ORDER BY min_time, id
      """
    ).bind([.text(table), .int(lo), .int(hi)])
    var out: [SegmentSummary] = []
    while try s.step() {
      out.append(
        SegmentSummary(
          file: s.text(0), table: table, partition: s.int(1), rows: Int(s.int(4)),
          minTime: s.int(2), maxTime: s.int(3), bytes: Int(s.int(5)), rawBytes: Int(s.int(6)),
          columns: []))
    }
    return out
  }

  /// Every segment file name the catalog knows.
  func allSegmentFiles() throws(StorageError) -> Set<String> {
    let s = try db.prepare("SELECT file FROM segments")
    var out = Set<String>()
    while try s.step() { out.insert(s.text(0)) }
    return out
  }

  /// Removes segments of `table` whose newest row is older than `cutoff`; returns their files.
  func dropSegments(table: String, olderThan cutoff: Int64) throws(StorageError) -> [String] {
    try db.transaction { () throws(StorageError) in
      let q = try db.prepare("SELECT file FROM segments WHERE table_name = ? AND max_time < ?")
        .bind([.text(table), .int(cutoff)])
      var files: [String] = []
      while try q.step() { files.append(q.text(0)) }
      try db.prepare("DELETE FROM segments WHERE table_name = ? AND max_time < ?")
        .bind([.text(table), .int(cutoff)]).run()
      return files
    }
  }

  /// Sets the retention of a table (nil: keep forever).
  func setRetention(table: String, milliseconds: Int64?) throws(StorageError) {
    try db.prepare("UPDATE tables SET retention_ms = ? WHERE name = ?")
      .bind([milliseconds.map { .int($0) } ?? .null, .text(table)]).run()
  }

  /// The retention of a table in ms, or nil.
  func retention(table: String) throws(StorageError) -> Int64? {
    let s = try db.prepare("SELECT retention_ms FROM tables WHERE name = ?").bind([.text(table)])
    guard try s.step(), !s.isNull(0) else { return nil }
    return s.int(0)
  }
}

func sqlite3LastRowID(_ db: SQLiteDatabase) -> Int64 {
  sqlite3_last_insert_rowid(db.handle)
}
