import Dispatch

extension FlowStore {
  /// Seals memory into segments; caller holds `lock`.
  func sealLocked(byAge: Bool = false) throws(StorageError) {
    guard activeRows > 0 else { return }
    let started = DispatchTime.now().uptimeNanoseconds
    let checkpoint = lastSequence
    var written: [String] = []
    var pending: [(fd: Int32, path: String)] = []
    var summaries: [SegmentSummary] = []
    /// Writes one partition's encoded blocks as `NAME.tmp` and records its summary.
    func write(_ p: OrderedRows.Partition, table: String, schema: TableSchema)
      throws(StorageError)
    {
      let name = "\(table)-\(p.key)-\(String(checkpoint, radix: 16))-\(summaries.count).seg"
      let (fileParts, footer) = SegmentWriter.layout(p.blocks, rows: p.blockRows, schema: schema)
      let path = layout.segment(name)
      written.append(path)
      pending.append((try fs.writeTemporary(path, parts: fileParts), path))
      summaries.append(
        summary(
          partition: p.key, rows: p.blockRows.reduce(0, +), rawBytes: p.rawBytes, schema: schema,
          footer: footer, file: name, bytes: fileParts.reduce(0) { $0 + $1.count }))
    }
    do throws(StorageError) {
      for (table, rows) in active.sorted(by: { $0.key < $1.key }) where rows.rowCount > 0 {
        guard let schema = schemas[table] else { continue }
        // The rows that came in time order are encoded already: their blocks are laid out.
        for p in rows.ordered?.sealable(threads: options.sealThreads) ?? [] {
          try write(p, table: table, schema: schema)
        }
        // Under the catalog's schema (appends were checked to have its columns).
        let parts = rows.rest.batches.map {
          ColumnBatch(schema: schema, rowCount: $0.rowCount, positional: $0.columns)
        }
        let plan = SealPlan.segments(
          of: parts, schema: schema, width: options.partitionMilliseconds,
          blockRows: options.blockRows)
        for segment in plan {
          let encoded = OrderedRows.Partition(
            key: segment.partition,
            blocks: SegmentWriter.encodeBlocks(segment.blocks, threads: options.sealThreads),
            blockRows: segment.blocks.map(\.rowCount),
            rawBytes: segment.blocks.reduce(0) { $0 + $1.rawBytes })
          try write(encoded, table: table, schema: schema)
        }
      }
      // All the seal's segments are fsynced, renamed, and their directory fsynced once.
      let files = pending
      pending = []
      try fs.commitTemporaries(files, directory: layout.segments)
      try catalog.commit(
        segments: summaries, checkpoint: checkpoint, now: SystemClock.wallMilliseconds())
    } catch {
      for f in pending { fs.close(f.fd) }
      for p in written {
        try? fs.unlink(p)
        try? fs.unlink(p + ".tmp")
      }
      throw error
    }
    options.onEvent?(
      .sealed(
        segments: summaries.count, rows: summaries.reduce(0) { $0 + $1.rows },
        bytes: summaries.reduce(0) { $0 + $1.bytes },
        nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started)))
    // The batches held as appended are kept for reuse (at most a seal's worth of rows, the
    // memory they took anyway); a seal by age means appends are slow, and lets them go.
    if byAge { spares.removeAll() }
    var spareRows = spares.reduce(0) { $0 + $1.rowCount }
    for table in Array(active.keys) {
      if !byAge {
        for part in active[table]!.rest.parts where part.rowCount >= ActiveRows.sharedBatchRows {
          guard spareRows + part.rowCount <= options.sealRows else { break }
          spares.append(part)
          spareRows += part.rowCount
        }
      }
      active[table]!.reset()
    }
    activeRows = 0
    activeSince = nil
    // New appends go to a fresh file; the old ones hold only sealed entries (so they need no
    // fsync before they are deleted).
    do throws(StorageError) {
      try wal.startFile(syncingOld: false)
      try wal.removeSealedFiles()
    } catch {
      options.onBackgroundError?(error)
    }
  }

  /// The catalog's record of a segment file of `rows` rows in time partition `partition`.
  func summary(
    partition: Int64, rows: Int, rawBytes: Int, schema: TableSchema, footer: SegmentFooter,
    file: String, bytes: Int
  ) -> SegmentSummary {
    var minTime = Int64.max
    var maxTime = Int64.min
    for b in footer.blocks {
      if case .signed(let lo, let hi) = b.chunks[0].zone.bounds {
        minTime = min(minTime, lo)
        maxTime = max(maxTime, hi)
      }
    }
    if minTime > maxTime { (minTime, maxTime) = (partition, partition) }
    let cols = schema.columns.enumerated().map { i, c in
      ColumnSummary(
        name: c.name, storedBytes: footer.blocks.reduce(0) { $0 + Int($1.chunks[i].storedLength) },
        nullCount: footer.blocks.reduce(0) { $0 + $1.chunks[i].zone.nullCount })
    }
    return SegmentSummary(
      file: file, table: schema.name, partition: partition, rows: rows, minTime: minTime,
      maxTime: maxTime, bytes: bytes, rawBytes: rawBytes, columns: cols)
  }

  /// Splits rows by time partition (`width` ms) and sorts each partition by time: (partition
  /// start, rows holder, row range). Time-ordered input is not copied.
  static func partitions(_ batch: ColumnBatch, width: Int64) -> [(Int64, ColumnBatch, Range<Int>)] {
    guard let t = batch.schema.timeIndex, let tv = batch.columns[t],
      case .timestamp(let times) = tv.values
    else { return [(0, batch, 0..<batch.rowCount)] }
    let n = batch.rowCount
    let sorted = tv.validity == nil && (n == 0 || inOrder(times, from: .min))
    if sorted && n > 0 {
      return timeRuns(times, width: width).map { ($0.0, batch, $0.1) }
    }
    var groups: [Int64: [Int]] = [:]
    for i in 0..<n {
      groups[tv.isValid(i) ? partition(of: times[i], width: width) : 0, default: []].append(i)
    }
    return groups.keys.sorted().map { k in
      var order = groups[k]!
      if !sorted { order.sort { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) } }
      let cols = batch.columns.map { $0?.gather(order) }
      return (
        k, ColumnBatch(schema: batch.schema, rowCount: order.count, positional: cols),
        0..<order.count
      )
    }
  }

  /// True when `times` (non-empty) is non-decreasing and starts at or after `first`.
  static func inOrder(_ times: [Int64], from first: Int64) -> Bool {
    times.withUnsafeBufferPointer { t in
      guard t[0] >= first else { return false }
      // Compares without a branch a row, 1,024 rows at a time (so the loop vectorises), and
      // stops at the first stretch out of order.
      var start = 1
      while start < t.count {
        let end = Swift.min(start + 1024, t.count)
        var descents = 0
        for i in start..<end { descents &+= t[i] < t[i - 1] ? 1 : 0 }
        if descents != 0 { return false }
        start = end
      }
      return true
    }
  }

  /// The start of the partition (`width` ms wide) holding time `t`.
  static func partition(of t: Int64, width: Int64) -> Int64 {
    (t >= 0 ? t / width : (t - width + 1) / width) * width
  }

  /// The partitions of time-ordered `times` (non-empty): each partition's rows are one
  /// contiguous run, which ends at the first time at or past the partition's end (no per-row
  /// division).
  static func timeRuns(_ times: [Int64], width: Int64) -> [(Int64, Range<Int>)] {
    let n = times.count
    var runs: [(Int64, Range<Int>)] = []
    var start = 0
    var k = partition(of: times[0], width: width)
    var (end, overflow) = k.addingReportingOverflow(width)
    for i in 1..<n where !overflow && times[i] >= end {
      runs.append((k, start..<i))
      start = i
      k = partition(of: times[i], width: width)
      (end, overflow) = k.addingReportingOverflow(width)
    }
    runs.append((k, start..<n))
    return runs
  }

  /// Joins batches of one table into one.
  static func concatenate(_ batches: [ColumnBatch], schema: TableSchema) -> ColumnBatch {
    if batches.count == 1 { return batches[0] }
    var rows = GatheredRows(schema: schema, capacity: batches.reduce(0) { $0 + $1.rowCount })
    for b in batches { rows.append(b) }
    return rows.batch
  }

  /// Starts the background timer: WAL sync every `syncInterval`, sealing by age, retention.
  func startTimer() {
    let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "flowstore.sync"))
    let ms = max(1, Int(options.syncInterval * 1000))
    t.schedule(deadline: .now() + .milliseconds(ms), repeating: .milliseconds(ms))
    t.setEventHandler { [weak self] in self?.tick() }
    t.resume()
    timer = t
  }

  func tick() {
    do throws(StorageError) {
      try lock.withLock { _ throws(StorageError) in
        guard !closed else { return }
        try syncLocked()
        let now = SystemClock.monotonicSeconds()
        if let since = activeSince, now - since >= options.sealAge, now >= nextSealAttempt {
          do throws(StorageError) {
            try sealLocked(byAge: true)
          } catch {
            nextSealAttempt = now + 1
            throw error
          }
        }
      }
      try enforceRetention(now: SystemClock.wallMilliseconds())
    } catch {
      options.onBackgroundError?(error)
    }
  }
}
