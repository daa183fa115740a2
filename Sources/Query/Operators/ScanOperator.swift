import Storage

/// How the engine runs: batch size, worker threads and morsel size.
public struct ExecutionOptions: Sendable {
  /// Rows per vector (1–8K is sensible).
  public var batchSize: Int
  /// Worker threads scanning units in parallel.
  public var parallelism: Int
  /// Consecutive units are grouped into morsels of at least this many rows; each morsel has its
  /// own partial state and partials merge in morsel order, so results never depend on
  /// `parallelism`.
  public var morselRows: Int

  /// Defaults: 2048-row vectors, every core, 128K-row morsels.
  public init(batchSize: Int = 2048, parallelism: Int? = nil, morselRows: Int = 131_072) {
    self.batchSize = max(1, batchSize)
    self.parallelism = max(1, parallelism ?? activeProcessorCount())
    self.morselRows = max(1, morselRows)
  }
}

func activeProcessorCount() -> Int {
  Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

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

/// Reads a table's kept units as batches: takes the snapshot for the time range, prunes blocks
/// by zone maps, decodes only the plan's columns and cuts them into vectors.
struct ScanOperator {
  let plan: SelectPlan
  let options: ExecutionOptions
  /// COMPARE baseline: the time column is seen shifted forward by this much.
  let shift: Int64
  let cancel: CancellationFlag?
  var morsels: [[ScanUnit]] = []
  var stats = ScanStats()

  init(
    plan: SelectPlan, provider: any TableProvider, options: ExecutionOptions, shift: Int64,
    cancel: CancellationFlag?
  ) throws(QueryError) {
    self.plan = plan
    self.options = options
    self.shift = shift
    self.cancel = cancel
    var range = plan.timeRange
    if let r = range, shift != 0 {
      range =
        (r.lowerBound &- shift)..<(r.upperBound == Int64.max ? Int64.max : r.upperBound &- shift)
    }
    let snap: Snapshot
    do {
      snap = try provider.snapshot(table: plan.table, timeRange: range)
    } catch let e as StorageError {
      throw .storage(e)
    } catch {
      throw .provider("\(error)")
    }
    stats.segmentsKept = snap.keptSegments
    stats.segmentsPruned = snap.prunedSegments
    let timeColumn = plan.schema.index(of: "time")
    var current: [ScanUnit] = []
    var rows = 0
    for u in snap.units {
      if !plan.zoneTests.allSatisfy({
        $0.mayMatch(u.zones, shiftColumn: timeColumn, shift: shift)
      }) {
        stats.blocksPruned += 1
        continue
      }
      stats.blocksKept += 1
      stats.rowsScanned += u.rowCount
      current.append(u)
      rows += u.rowCount
      if rows >= options.morselRows {
        morsels.append(current)
        current = []
        rows = 0
      }
    }
    if !current.isEmpty { morsels.append(current) }
  }

  /// Calls `body` with each batch of the morsel's units, in order. `body` returns false to stop.
  func forEachBatch(_ morsel: Int, _ body: (Batch) throws(QueryError) -> Bool) throws(QueryError) {
    for unit in morsels[morsel] {
      if cancel?.isCancelled == true { throw .cancelled }
      var cols: [ColumnVector]
      do {
        cols = try unit.read(columns: plan.scanColumns)
      } catch {
        throw .storage(error)
      }
      if shift != 0, let s = plan.timeSlot, case .timestamp(var a) = cols[s].values {
        for i in a.indices { a[i] &+= shift }
        cols[s].values = .timestamp(a)
      }
      var start = 0
      while start < unit.rowCount {
        let end = min(unit.rowCount, start + options.batchSize)
        let batch = Batch(
          columns: cols.map { Vec.from($0, range: start..<end) }, count: end - start)
        if try !body(batch) { return }
        start = end
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
