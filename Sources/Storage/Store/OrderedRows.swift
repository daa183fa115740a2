import Dispatch

/// The unsealed rows of one table that arrived in time order, encoded into segment blocks as
/// they arrive instead of when the seal comes.
///
/// Rows in time order (the reference stream, exporters that stamp records as they send them)
/// need no sorting at the seal, so their blocks can be encoded at once, while the appended
/// batch is still in cache, and the batch handed back for reuse: memory then holds about 12
/// bytes a row instead of the decoded columns' hundred, and the seal only lays the blocks out.
///
/// An append of at least `blockRows` rows (of one partition) is cut into blocks where it lies,
/// without a copy (``blocks(_:blockRows:)``); smaller ones are copied into ``tail`` until it
/// holds a block. Either way no appended batch is held after its append.
struct OrderedRows {
  /// One time partition's encoded blocks, in row order.
  struct Partition {
    /// The partition's start (ms).
    var key: Int64
    /// The blocks, encoded.
    var blocks: [SegmentWriter.EncodedBlock] = []
    /// Rows of each block.
    var blockRows: [Int] = []
    /// Bytes of the rows before encoding (``SegmentWriter/rawSize(_:rows:)``).
    var rawBytes = 0
  }

  /// The table's schema.
  let schema: TableSchema
  /// Index of the `time` column.
  let timeIndex: Int
  /// Rows per block.
  let blockRows: Int
  /// Width of a time partition (ms).
  let width: Int64
  /// The encoded blocks, per partition in time order.
  private(set) var partitions: [Partition] = []
  /// Rows of the unfinished block, and its partition.
  private var tail: GatheredRows?
  private var tailKey: Int64 = 0
  /// The time of the last row taken.
  private var last = Int64.min
  /// The number of rows taken.
  private(set) var rowCount = 0

  /// Nothing taken yet; nil when `schema` has no `time` column.
  init?(schema: TableSchema, blockRows: Int, width: Int64) {
    guard let t = schema.timeIndex else { return nil }
    self.schema = schema
    timeIndex = t
    self.blockRows = max(1, blockRows)
    self.width = width
  }

  /// Takes `batch` when every time in it is present and in order, the first no earlier than the
  /// last row taken before; encodes every block it completes, on up to `threads` threads.
  /// Returns false, taking nothing, otherwise.
  mutating func append(_ batch: ColumnBatch, threads: Int) -> Bool {
    guard batch.rowCount > 0 else { return true }
    guard let times = orderedTimes(batch) else { return false }
    last = times[times.count - 1]
    rowCount += batch.rowCount
    var jobs: [(key: Int64, block: SealBlock)] = []
    for (key, rows) in FlowStore.timeRuns(times, width: width) {
      if tail != nil && (tailKey != key || rows.count >= blockRows) { closeTail(into: &jobs) }
      if rows.count >= blockRows {
        for cut in Self.blocks(rows, blockRows: blockRows) {
          jobs.append((key, SealBlock(batch, rows: cut)))
        }
        continue
      }
      var at = rows.lowerBound
      while at < rows.upperBound {
        if tail == nil {
          tail = GatheredRows(schema: schema, capacity: blockRows)
          tailKey = key
        }
        let take = min(blockRows - tail!.rowCount, rows.upperBound - at)
        tail!.append(batch, rows: at..<at + take)
        at += take
        if tail!.rowCount == blockRows { closeTail(into: &jobs) }
      }
    }
    add(jobs, threads: threads)
    return true
  }

  /// An append encoded before it is logged (``prepare(_:threads:)``), to be taken with
  /// ``commit(_:)`` once the WAL holds it.
  struct Prepared {
    /// The blocks, with their partitions and rows; the first may be the unfinished block of
    /// earlier appends, closed by this one (``closesTail``).
    var keys: [Int64]
    var rows: [Int]
    var rawBytes: [Int]
    var blocks: [SegmentWriter.EncodedBlock]
    var closesTail: Bool
    /// The time of the append's last row, and its row count.
    var last: Int64
    var rowCount: Int

    /// The blocks of the append's own rows (what the WAL entry holds).
    var ownBlocks: ArraySlice<SegmentWriter.EncodedBlock> { blocks[(closesTail ? 1 : 0)...] }
    /// The rows of each of ``ownBlocks``.
    var ownRows: ArraySlice<Int> { rows[(closesTail ? 1 : 0)...] }
  }

  /// Encodes `batch` without taking it, when every row of it lands in a block cut from it:
  /// it holds at least `blockRows` rows, and its times are present and in order from the last
  /// row taken on. Each partition's run is cut where it lies; a run shorter than `blockRows`
  /// (where the batch crosses into the next partition) is one block of its own, as it would be
  /// once the next run closed the unfinished block it went to. Nil otherwise
  /// (``append(_:threads:)`` then takes it). An unfinished block of earlier appends is closed
  /// and encoded too.
  func prepare(_ batch: ColumnBatch, threads: Int) -> Prepared? {
    guard batch.rowCount >= blockRows, let times = orderedTimes(batch) else { return nil }
    let runs = FlowStore.timeRuns(times, width: width)
    // A short first run of the unfinished block's partition is gathered into it instead.
    if tail != nil, runs[0].0 == tailKey, runs[0].1.count < blockRows { return nil }
    var jobs = tailJob.map { [$0] } ?? []
    for (key, rows) in runs {
      for cut in Self.blocks(rows, blockRows: blockRows) {
        jobs.append((key, SealBlock(batch, rows: cut)))
      }
    }
    let blocks = SegmentWriter.encodeBlocks(jobs.map(\.block), threads: threads)
    return Prepared(
      keys: jobs.map(\.key), rows: jobs.map(\.block.rowCount), rawBytes: jobs.map(\.block.rawBytes),
      blocks: blocks, closesTail: tail != nil, last: times[times.count - 1],
      rowCount: batch.rowCount)
  }

  /// Takes an append prepared by ``prepare(_:threads:)`` (with nothing taken in between).
  mutating func commit(_ p: Prepared) {
    if p.closesTail { tail = nil }
    for k in p.blocks.indices {
      file(p.blocks[k], key: p.keys[k], rows: p.rows[k], raw: p.rawBytes[k])
    }
    last = p.last
    rowCount += p.rowCount
  }

  /// Every partition's blocks, the unfinished block encoded as the last of its partition (on
  /// up to `threads` threads). Nothing changes: a seal that fails keeps the rows here.
  func sealable(threads: Int) -> [Partition] {
    guard let job = tailJob else { return partitions }
    var copy = self
    copy.tail = nil
    copy.add([job], threads: threads)
    return copy.partitions
  }

  /// Drops every row (after a seal); the next append may start at any time.
  mutating func reset() {
    partitions = []
    tail = nil
    last = .min
    rowCount = 0
  }

  /// The unfinished block as a block to encode, with its partition.
  private var tailJob: (key: Int64, block: SealBlock)? {
    tail.map { (tailKey, SealBlock($0.batch, rows: 0..<$0.rowCount)) }
  }

  private mutating func closeTail(into jobs: inout [(key: Int64, block: SealBlock)]) {
    guard let job = tailJob else { return }
    tail = nil
    jobs.append(job)
  }

  /// The times of `batch` when every one is present and they are in order from the last row
  /// taken on; nil otherwise.
  private func orderedTimes(_ batch: ColumnBatch) -> [Int64]? {
    guard let tv = batch.columns[timeIndex], tv.validity == nil,
      case .timestamp(let times) = tv.values, FlowStore.inOrder(times, from: last)
    else { return nil }
    return times
  }

  /// Encodes `jobs` and files each block under its partition.
  private mutating func add(_ jobs: [(key: Int64, block: SealBlock)], threads: Int) {
    guard !jobs.isEmpty else { return }
    let encoded = SegmentWriter.encodeBlocks(jobs.map(\.block), threads: threads)
    for (job, block) in zip(jobs, encoded) {
      file(block, key: job.key, rows: job.block.rowCount, raw: job.block.rawBytes)
    }
  }

  /// Files an encoded block of `rows` rows under partition `key` (the last, or a new one).
  private mutating func file(_ block: SegmentWriter.EncodedBlock, key: Int64, rows: Int, raw: Int) {
    if partitions.last?.key != key { partitions.append(Partition(key: key)) }
    let k = partitions.count - 1
    partitions[k].blocks.append(block)
    partitions[k].blockRows.append(rows)
    partitions[k].rawBytes += raw
  }

  /// `rows` cut into blocks of `blockRows` rows from the first, the last taking the remainder
  /// when it is under half a block (so that every block has between a half and one and a half
  /// times `blockRows` rows); fewer than `blockRows` rows are one block.
  static func blocks(_ rows: Range<Int>, blockRows: Int) -> [Range<Int>] {
    var cuts = Array(stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows))
    if cuts.count > 1, rows.upperBound - cuts[cuts.count - 1] < blockRows / 2 { cuts.removeLast() }
    return cuts.indices.map { k in cuts[k]..<(k + 1 < cuts.count ? cuts[k + 1] : rows.upperBound) }
  }

}
