import Storage
import Synchronization

/// Filter and projection without aggregation: evaluates the projections over the selected rows
/// of each morsel. Without ORDER BY a LIMIT stops the scan early; with ORDER BY and LIMIT each
/// morsel keeps only its top N in a heap.
enum ProjectOperator {
  static func run(_ scan: ScanOperator, topN: TopN?, limit: Int?) throws(QueryError)
    -> [[Value]]
  {
    let plan = scan.plan
    let types = plan.projections.map(\.type)
    let workers = scan.options.parallelism
    let shared = topN.flatMap { TopNBar($0.order, plan) }.map { SharedBound($0.descending) }
    func morsel(_ m: Int) throws(QueryError) -> [(row: [Value], seq: Int)] {
      var out: [(row: [Value], seq: Int)] = []
      var heap = topN
      var seq = 0
      let bar = heap.flatMap { TopNBar($0.order, plan, shared: shared) }
      let probe = bar?.slot.map { slot in
        UnitProbe(slots: [slot]) { cols in !bar!.anyMayEnter(cols[0], heap?.worst) }
      }
      try scan.forEachLazyBatch(
        m, skip: { unit in bar?.skips(unit, heap?.worst) ?? false }, probe: probe
      ) { (lazy: LazyBatch) throws(QueryError) -> Bool in
        // Without a filter, a top-N on a stored column looks at that column alone first.
        if plan.filter.isEmpty, let bar, let slot = bar.slot {
          let key = lazy.vec(slot)
          if bar.candidates(key, .all(lazy.count), heap?.worst).count == 0 { return true }
        }
        let batch = lazy.batch()
        var sel = FilterOperator.select(plan.filter, batch)
        if sel.count > 0 {
          let vecs = plan.projections.map { VectorEvaluator.evaluate($0, batch) }
          if let bar { sel = bar.candidates(vecs[bar.index], sel, heap?.worst) }
          forEachSelected(sel) { _, i in
            let row = zip(vecs, types).map { $0.value(i, $1) }
            if heap != nil {
              heap!.insert(row, seq: m << 40 | seq)
            } else {
              out.append((row, m << 40 | seq))
            }
            seq += 1
          }
        }
        if let bar, let worst = heap?.worst { bar.publish(worst) }
        if heap == nil, let limit, out.count >= limit { return false }
        return true
      }
      return heap?.items ?? out
    }
    var collected: [(row: [Value], seq: Int)] = []
    if topN == nil, let limit {
      // Waves of morsels, in order, until enough rows.
      var next = 0
      while next < scan.morsels.count && collected.count < limit {
        let wave = min(workers, scan.morsels.count - next)
        let base = next
        let parts = try parallelMap(wave, workers: workers) { (k: Int) throws(QueryError) in
          try morsel(base + k)
        }
        for p in parts { collected += p }
        next += wave
      }
      return collected.prefix(limit).map(\.row)
    }
    let parts = try parallelMap(scan.morsels.count, workers: workers) {
      (m: Int) throws(QueryError) in
      try morsel(m)
    }
    if var heap = topN {
      for p in parts { for (r, s) in p { heap.insert(r, seq: s) } }
      return heap.sorted()
    }
    for p in parts { collected += p }
    return collected.map(\.row)
  }
}

/// The best "worst kept key" among the morsels' full top-N heaps: a row strictly worse than it
/// is strictly worse than N rows already seen, so it cannot be in the result, whichever morsel
/// it comes from. Equal rows are kept (an earlier morsel's row wins a tie).
final class SharedBound: Sendable {
  let descending: Bool
  private let value: Atomic<Int64>

  init(_ descending: Bool) {
    self.descending = descending
    value = Atomic(descending ? Int64.min : Int64.max)
  }

  /// The bound, or nil while no heap is full.
  var current: Int64? {
    let v = value.load(ordering: .relaxed)
    return v == (descending ? Int64.min : Int64.max) ? nil : v
  }

  /// Raises the bound to `t` when `t` is better.
  func publish(_ t: Int64) {
    var old = value.load(ordering: .relaxed)
    while descending ? t > old : t < old {
      let (done, now) = value.compareExchange(
        expected: old, desired: t, ordering: .relaxed)
      if done { return }
      old = now
    }
  }
}

/// The bar a row must clear to enter a full top-N, on the first sort key: rows that lose to the
/// worst kept row on that key alone are dropped before they become rows, and blocks whose zone
/// map shows no such row are not read at all.
struct TopNBar {
  /// The first sort key's index in the row, and its direction.
  let index: Int
  let descending: Bool
  /// Only one sort key: a row equal on it comes later than the kept rows, and loses.
  let single: Bool
  /// The scan slot and schema position of the key when it is a stored integer or timestamp
  /// column.
  let slot: Int?
  let zoneColumn: Int?

  /// The bound shared by all morsels' heaps.
  let shared: SharedBound?

  init?(_ order: SortKeys, _ plan: SelectPlan, shared: SharedBound? = nil) {
    self.shared = shared
    guard let first = order.keys.first else { return nil }
    let e = plan.projections[first.index]
    guard [.int, .timestamp, .duration].contains(e.type) else { return nil }
    index = first.index
    descending = first.descending
    single = order.keys.count == 1
    if case .column(let s, _) = e {
      slot = s
      zoneColumn = plan.scanColumns[s]
    } else {
      slot = nil
      zoneColumn = nil
    }
  }

  /// True when row value `v` (nil: NULL) may still enter against this morsel's worst kept
  /// key `t` (nil: NULL) when `full`, and is not strictly worse than the shared bound `s`.
  @inline(__always) func mayEnter(_ v: Int64?, _ t: Int64?, full: Bool, _ s: Int64?) -> Bool {
    if let s {
      guard let v else { return false }
      if descending ? v < s : v > s { return false }
    }
    guard full else { return true }
    guard let t else { return v != nil || !single }  // NULLs sort last
    guard let v else { return false }
    if v == t { return !single }
    return descending ? v > t : v < t
  }

  /// Publishes this morsel's worst kept key to the shared bound.
  func publish(_ worst: [Value]) {
    if let t = worst[index].intValue { shared?.publish(t) }
  }

  /// True when no row of `unit` can enter against the worst kept row.
  func skips(_ unit: ScanUnit, _ worst: [Value]?) -> Bool {
    let s = shared?.current
    guard worst != nil || s != nil, let pos = zoneColumn, pos < unit.zones.count,
      let z = unit.zones[pos]
    else { return false }
    let t = worst?[index].intValue
    if z.nullCount == z.rowCount { return !mayEnter(nil, t, full: worst != nil, s) }
    let lo: Int64
    let hi: Int64
    switch z.bounds {
    case .unsigned(let mn, let mx):
      guard mx <= UInt64(Int64.max) else { return false }
      (lo, hi) = (Int64(mn), Int64(mx))
    case .signed(let mn, let mx): (lo, hi) = (mn, mx)
    default: return false
    }
    return !mayEnter(descending ? hi : lo, t, full: worst != nil, s)
  }

  /// True when some row of a unit's key column may enter against the worst kept row.
  func anyMayEnter(_ column: ColumnVector, _ worst: [Value]?) -> Bool {
    candidates(Vec.from(column, range: 0..<column.count), .all(column.count), worst).count > 0
  }

  /// The selected rows that may enter against the worst kept row.
  func candidates(_ v: Vec, _ sel: Selection, _ worst: [Value]?) -> Selection {
    let s = shared?.current
    if worst == nil && s == nil { return sel }
    let t = worst?[index].intValue
    let a = v.ints()
    var out: [Int32] = []
    forEachSelected(sel) { _, i in
      if mayEnter(v.isValid(i) ? a[i] : nil, t, full: worst != nil, s) { out.append(Int32(i)) }
    }
    return Selection(all: false, indices: out, count: out.count)
  }
}
