/// The rows of one block of a segment: a range of one batch, or ranges of several batches to
/// be gathered (a block that spans the end of one appended batch and the start of the next).
struct SealBlock: Sendable {
  /// The pieces, in row order; never empty.
  let pieces: [(batch: ColumnBatch, rows: Range<Int>)]

  /// Rows `rows` of `batch`.
  init(_ batch: ColumnBatch, rows: Range<Int>) { pieces = [(batch, rows)] }

  /// Several pieces, gathered when encoded.
  init(pieces: [(batch: ColumnBatch, rows: Range<Int>)]) { self.pieces = pieces }

  /// The number of rows.
  var rowCount: Int { pieces.reduce(0) { $0 + $1.rows.count } }

  /// Bytes of the rows before encoding (``SegmentWriter/rawSize(_:rows:)``).
  var rawBytes: Int {
    pieces.reduce(0) { sum, p in
      p.batch.columns.reduce(sum) { $0 + SegmentWriter.rawSize($1, rows: p.rows) }
    }
  }

  /// The rows as one batch and range: the batch itself for a single piece, else a gathered copy.
  func materialized() -> (batch: ColumnBatch, rows: Range<Int>) {
    if pieces.count == 1 { return pieces[0] }
    var g = GatheredRows(schema: pieces[0].batch.schema, capacity: rowCount)
    for p in pieces { g.append(p.batch, rows: p.rows) }
    return (g.batch, 0..<g.rowCount)
  }
}

/// How a seal lays out the unsealed rows: one segment per time partition, each cut into blocks
/// of `blockRows` rows in time order.
///
/// Time-ordered rows (the usual case for a collector whose exporters stamp records as they go)
/// are encoded straight from the appended batches: only a block that spans two batches is
/// copied. Otherwise the rows are gathered, split by partition and sorted.
enum SealPlan {
  /// One segment to write: its time partition and its blocks.
  struct Segment {
    var partition: Int64
    var blocks: [SealBlock]
  }

  /// The segments of `parts` (batches of one table, in append order).
  static func segments(
    of parts: [ColumnBatch], schema: TableSchema, width: Int64, blockRows: Int
  ) -> [Segment] {
    let parts = parts.filter { $0.rowCount > 0 }
    guard !parts.isEmpty else { return [] }
    guard let runs = sortedRuns(parts, schema: schema, width: width) else {
      let all = FlowStore.concatenate(parts, schema: schema)
      return FlowStore.partitions(all, width: width).map { (k, batch, rows) in
        Segment(partition: k, blocks: blocks([(batch, rows)], blockRows: blockRows))
      }
    }
    return runs.map { Segment(partition: $0.0, blocks: blocks($0.1, blockRows: blockRows)) }
  }

  /// Cuts a partition's pieces (in row order) into blocks of `blockRows` rows, counted from
  /// the partition's first row.
  static func blocks(_ pieces: [(batch: ColumnBatch, rows: Range<Int>)], blockRows: Int)
    -> [SealBlock]
  {
    var out: [SealBlock] = []
    var open: [(batch: ColumnBatch, rows: Range<Int>)] = []
    var filled = 0
    for (batch, rows) in pieces {
      var at = rows.lowerBound
      while at < rows.upperBound {
        let take = min(blockRows - filled, rows.upperBound - at)
        open.append((batch, at..<at + take))
        filled += take
        at += take
        if filled == blockRows {
          out.append(SealBlock(pieces: open))
          open.removeAll()
          filled = 0
        }
      }
    }
    if !open.isEmpty { out.append(SealBlock(pieces: open)) }
    return out
  }

  /// When every part's times are present and in order, and each part starts at or after the
  /// previous one's end: each partition's rows as pieces of the parts. Nil otherwise.
  static func sortedRuns(_ parts: [ColumnBatch], schema: TableSchema, width: Int64)
    -> [(Int64, [(batch: ColumnBatch, rows: Range<Int>)])]?
  {
    guard let t = schema.timeIndex else { return nil }
    var runs: [(Int64, [(batch: ColumnBatch, rows: Range<Int>)])] = []
    var last = Int64.min
    for part in parts {
      guard let tv = part.columns[t], tv.validity == nil, case .timestamp(let times) = tv.values
      else { return nil }
      guard FlowStore.inOrder(times, from: last) else { return nil }
      last = times[times.count - 1]
      for (k, rows) in FlowStore.timeRuns(times, width: width) {
        if let end = runs.last, end.0 == k {
          runs[runs.count - 1].1.append((part, rows))
        } else {
          runs.append((k, [(part, rows)]))
        }
      }
    }
    return runs
  }
}
