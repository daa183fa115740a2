import CFlowSys
import Storage

/// One column of a unit as read: decoded values, or a string column's dictionary and codes.
enum UnitColumn {
  case vector(ColumnVector)
  case codes(StringCodes)
  case v4([UInt32], validity: Bitmap?)

  /// Rows `range` as a vector (codes stay codes; the dictionary is shared, not copied).
  func vec(_ range: Range<Int>) -> Vec {
    switch self {
    case .vector(let v): return Vec.from(v, range: range)
    case .codes(let c):
      let whole = range.lowerBound == 0 && range.upperBound == c.codes.count
      return Vec.coded(
        whole ? c.codes : Array(c.codes[range]), c.entries, valid: Vec.validity(c.validity, range))
    case .v4(let a, let validity):
      let whole = range.lowerBound == 0 && range.upperBound == a.count
      return Vec(
        .v4(whole ? a : Array(a[range])), valid: Vec.validity(validity, range), count: range.count)
    }
  }
}

/// A test of some columns of a unit, run before its other columns are read.
struct UnitProbe {
  /// The scan slots it reads.
  var slots: [Int]
  /// True when no row of the unit can matter (the unit is skipped).
  var skip: ([ColumnVector]) -> Bool
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
    let timeColumn = plan.schema.timeIndex
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

  /// Reads the columns of `slots`: string columns as dictionary codes when the unit's source
  /// keeps them, everything else decoded.
  func read(_ unit: ScanUnit, slots: [Int]) throws(StorageError) -> [UnitColumn] {
    var out = [UnitColumn?](repeating: nil, count: slots.count)
    var plain: [Int] = []
    for (k, slot) in slots.enumerated() {
      let pos = plan.scanColumns[slot]
      if plan.schema.columns[pos].type == .string, let c = try unit.readStrings(column: pos) {
        out[k] = .codes(c)
      } else if plan.schema.columns[pos].type == .ip {
        switch try unit.readAddresses(column: pos) {
        case .v4(let a, let validity): out[k] = .v4(a, validity: validity)
        case .decoded(let v): out[k] = .vector(v)
        }
      } else {
        plain.append(k)
      }
    }
    if !plain.isEmpty {
      let vs = try unit.read(columns: plain.map { plan.scanColumns[slots[$0]] })
      for (k, v) in zip(plain, vs) { out[k] = .vector(v) }
    }
    return out.map { $0! }
  }

  /// ``forEachBatch(_:skip:probe:_:)`` with batches whose vectors are built on demand.
  func forEachLazyBatch(
    _ morsel: Int, skip: ((ScanUnit) -> Bool)? = nil, probe: UnitProbe? = nil,
    _ body: (LazyBatch) throws(QueryError) -> Bool
  ) throws(QueryError) {
    for unit in morsels[morsel] {
      if cancel?.isCancelled == true { throw .cancelled }
      if let skip, skip(unit) { continue }
      var cols: [UnitColumn]
      do {
        if let probe {
          let first = try unit.read(columns: probe.slots.map { plan.scanColumns[$0] })
          if probe.skip(first) { continue }
          let rest = plan.scanColumns.indices.filter { !probe.slots.contains($0) }
          let others = try read(unit, slots: rest)
          cols = [UnitColumn](repeating: .vector(first[0]), count: plan.scanColumns.count)
          for (k, slot) in probe.slots.enumerated() { cols[slot] = .vector(first[k]) }
          for (k, slot) in rest.enumerated() { cols[slot] = others[k] }
        } else {
          cols = try read(unit, slots: Array(plan.scanColumns.indices))
        }
      } catch {
        throw .storage(error)
      }
      if shift != 0, let s = plan.timeSlot, case .vector(var v) = cols[s],
        case .timestamp(var a) = v.values
      {
        for i in a.indices { a[i] &+= shift }
        v.values = .timestamp(a)
        cols[s] = .vector(v)
      }
      // Zone maps by slot; none for the COMPARE baseline, whose time column is shifted.
      let zones: [ZoneMap?]? =
        shift != 0
        ? nil : plan.scanColumns.map { $0 < unit.zones.count ? unit.zones[$0] : nil }
      var start = 0
      while start < unit.rowCount {
        let end = min(unit.rowCount, start + options.batchSize)
        if try !body(LazyBatch(columns: cols, range: start..<end, zones: zones)) { return }
        start = end
      }
    }
  }

  /// Calls `body` with each batch of the morsel's units, in order. `body` returns false to stop.
  /// Units for which `skip` returns true (asked just before each is read) are not read; with a
  /// `probe`, its slots are read first and the unit's other columns only when the probe keeps
  /// the unit (late materialisation).
  func forEachBatch(
    _ morsel: Int, skip: ((ScanUnit) -> Bool)? = nil, probe: UnitProbe? = nil,
    _ body: (Batch) throws(QueryError) -> Bool
  ) throws(QueryError) {
    try forEachLazyBatch(morsel, skip: skip, probe: probe) {
      (b: LazyBatch) throws(QueryError) -> Bool in try body(b.batch())
    }
  }
}

/// A batch whose vectors are cut from the unit's columns only when asked for: a top-N looks at
/// its sort key first and builds the other columns only for batches that hold candidates.
struct LazyBatch {
  let columns: [UnitColumn]
  let range: Range<Int>
  /// The unit's zone maps by slot.
  let zones: [ZoneMap?]?

  var count: Int { range.count }

  /// The vector of scan slot `slot`.
  func vec(_ slot: Int) -> Vec { columns[slot].vec(range) }

  /// Every slot's vector.
  func batch() -> Batch {
    Batch(columns: columns.map { $0.vec(range) }, count: range.count, zones: zones)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
