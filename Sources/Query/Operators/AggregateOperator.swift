/// The partial aggregation of one morsel: its group table and one state per aggregate.
final class AggregatePartial: @unchecked Sendable {
  let table: any GroupTable
  let states: [any AggregateState]
  init(table: any GroupTable, states: [any AggregateState]) {
    self.table = table
    self.states = states
  }

  /// Folds `other` in (called in morsel order).
  func absorb(_ other: AggregatePartial) {
    let map = table.absorb(other.table)
    for (s, o) in zip(states, other.states) {
      s.resize(table.capacity)
      o.resize(other.table.capacity)
      s.merge(o, map)
    }
  }
}

/// One finished group: its key values and aggregate values.
struct GroupRow {
  var keys: [Value]
  var aggregates: [Value]
}

/// Hash (or direct-array) aggregation: each morsel is filtered and aggregated into its own
/// partial by a worker; partials are merged in morsel order.
enum AggregateOperator {
  static func run(_ scan: ScanOperator, _ agg: AggregationPlan, alwaysOneGroup: Bool)
    throws(QueryError) -> [GroupRow]
  {
    let plan = scan.plan
    let types = plan.scanColumns.map { plan.schema.columns[$0].type }
    func fresh() -> AggregatePartial {
      AggregatePartial(
        table: makeGroupTable(agg.keys, scanTypes: types),
        states: agg.aggregates.map(makeAggregateState))
    }
    let partials = try parallelMap(scan.morsels.count, workers: scan.options.parallelism) {
      (m: Int) throws(QueryError) -> AggregatePartial in
      let p = fresh()
      var gids: [Int32] = []
      try scan.forEachBatch(m) { (batch: Batch) throws(QueryError) -> Bool in
        let sel = FilterOperator.select(plan.filter, batch)
        if sel.count == 0 { return true }
        let keys = agg.keys.map { VectorEvaluator.evaluate($0, batch) }
        p.table.assign(keys, sel, into: &gids)
        let n = p.table.capacity
        for (s, spec) in zip(p.states, agg.aggregates) {
          s.resize(n)
          s.update(gids, sel, spec.argument.map { VectorEvaluator.evaluate($0, batch) })
        }
        return true
      }
      return p
    }
    let total = partials.first ?? fresh()
    for p in partials.dropFirst() { total.absorb(p) }
    for s in total.states { s.resize(total.table.capacity) }
    var groups = total.table.liveGroups()
    if alwaysOneGroup && agg.keys.isEmpty { groups = [0] }
    var rows = groups.map { g in
      GroupRow(keys: total.table.keyValues(g), aggregates: total.states.map { $0.value(g) })
    }
    // A canonical order (by key) so later steps never depend on hashing or parallelism.
    rows.sort { a, b in
      for (x, y) in zip(a.keys, b.keys) {
        let c = Value.sortOrder(x, y)
        if c != 0 { return c < 0 }
      }
      return false
    }
    return rows
  }
}
