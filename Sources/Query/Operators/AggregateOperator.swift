/// The partial aggregation of one worker: its group table and one state per aggregate.
///
/// `@unchecked Sendable`: a partial is created, filled and read by one worker at a time; it
/// crosses threads only when the worker hands it back, after its last write.
final class AggregatePartial: @unchecked Sendable {
  let table: any GroupTable
  let states: [any AggregateState]
  init(table: any GroupTable, states: [any AggregateState]) {
    self.table = table
    self.states = states
  }

  /// The bytes held: the table, and per group 8 bytes per state plus what states keep beyond
  /// that (distinct sets, quantile values, sketches).
  var memoryBytes: Int {
    table.memoryBytes + states.reduce(0) { $0 + 9 * table.capacity + $1.memoryBytes }
  }

  /// Folds `other` in.
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

/// The finished aggregation: the merged table and states, read by group id.
struct AggregateResult {
  let table: any GroupTable
  let states: [any AggregateState]
  /// The groups that received rows (every id when one group is always reported).
  let groups: [Int]

  /// The groups in the canonical key order.
  func canonicalGroups() -> [Int] {
    groups.sorted { table.compareKeys($0, $1) < 0 }
  }

  /// Group `g`'s keys and aggregate values.
  func row(_ g: Int) -> GroupRow {
    GroupRow(keys: table.keyValues(g), aggregates: states.map { $0.value(g) })
  }
}

/// Hash (or direct-array) aggregation: each worker filters and aggregates the morsels it takes
/// into its own partial; the partials are merged at the end. Group ids depend on the order rows
/// arrive, so nothing downstream depends on them: output is ordered by key (or ORDER BY with the
/// key as tie-break), and float sums are added in morsel order (``MorselSums``).
enum AggregateOperator {
  static func run(_ scan: ScanOperator, _ agg: AggregationPlan, alwaysOneGroup: Bool)
    throws(QueryError) -> AggregateResult
  {
    let plan = scan.plan
    let types = plan.scanColumns.map { plan.schema.columns[$0].type }
    let limit = scan.options.memoryLimit
    func fresh() -> AggregatePartial {
      AggregatePartial(
        table: makeGroupTable(agg.keys, scanTypes: types),
        states: agg.aggregates.map(makeAggregateState))
    }
    let partials = try parallelPartials(
      scan.morsels.count, workers: scan.options.parallelism, fresh
    ) { (p: AggregatePartial, m: Int) throws(QueryError) in
      var gids: [Int32] = []
      let cache = EvalCache()
      try scan.forEachFilteredBatch(m, filter: plan.filter, cache: cache) {
        (batch: Batch, sel: Selection) throws(QueryError) -> Bool in
        let keys = agg.keys.map { VectorEvaluator.evaluate($0, batch, cache) }
        p.table.assign(keys, sel, into: &gids)
        let n = p.table.capacity
        for (s, spec) in zip(p.states, agg.aggregates) {
          s.resize(n)
          s.update(gids, sel, spec.argument.map { VectorEvaluator.evaluate($0, batch, cache) })
        }
        if let limit, p.memoryBytes > limit {
          throw .memoryLimit(limit, groups: p.table.capacity)
        }
        return true
      }
      for s in p.states { s.endMorsel(m) }
    }
    let total = partials.first ?? fresh()
    for p in partials.dropFirst() { total.absorb(p) }
    for s in total.states {
      s.resize(total.table.capacity)
      s.finish()
    }
    var groups = total.table.liveGroups()
    if alwaysOneGroup && agg.keys.isEmpty { groups = [0] }
    return AggregateResult(table: total.table, states: total.states, groups: groups)
  }
}
