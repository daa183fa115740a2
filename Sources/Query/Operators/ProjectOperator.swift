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
    func morsel(_ m: Int) throws(QueryError) -> [(row: [Value], seq: Int)] {
      var out: [(row: [Value], seq: Int)] = []
      var heap = topN
      var seq = 0
      try scan.forEachBatch(m) { (batch: Batch) throws(QueryError) -> Bool in
        let sel = FilterOperator.select(plan.filter, batch)
        if sel.count > 0 {
          let vecs = plan.projections.map { VectorEvaluator.evaluate($0, batch) }
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
