import Storage

extension ScanOperator {
  /// The most rows of a unit, as a share of it, read at their positions after the filter;
  /// above it the unit's other columns are read whole (unpacking every value costs less than
  /// picking a large share of them one by one).
  static let lateShare = 4

  /// Calls `body` with each batch of the morsel and the rows the filter keeps, in order; `body`
  /// returns false to stop.
  ///
  /// With a filter over some of the plan's columns only, a unit's filter columns are read and
  /// filtered first (late materialisation): a unit that no row passes is not read further, and
  /// when at most a quarter of its rows pass, its other columns are read at those rows alone
  /// (``ScanUnit/read(columns:rows:)``), and the batches hold just the passing rows.
  func forEachFilteredBatch(
    _ morsel: Int, filter: [BoundExpr], cache: EvalCache?,
    _ body: (Batch, Selection) throws(QueryError) -> Bool
  ) throws(QueryError) {
    let filterSlots = filter.reduce(into: Set<Int>()) { $0.formUnion($1.slots) }.sorted()
    guard !filter.isEmpty, shift == 0, filterSlots.count < plan.scanColumns.count else {
      try forEachBatch(morsel) { (batch: Batch) throws(QueryError) -> Bool in
        let sel = FilterOperator.select(filter, batch, cache)
        return sel.count == 0 ? true : try body(batch, sel)
      }
      return
    }
    let rest = plan.scanColumns.indices.filter { !filterSlots.contains($0) }
    let absent = Vec(.int([]), count: 0)  // stands for the columns the filter does not read
    for unit in morsels[morsel] {
      if cancel?.isCancelled == true { throw .cancelled }
      let first: [UnitColumn]
      do {
        first = try read(unit, slots: filterSlots)
      } catch {
        throw .storage(error)
      }
      let zones: [ZoneMap?] = plan.scanColumns.map { $0 < unit.zones.count ? unit.zones[$0] : nil }
      // The filter over the whole unit at once, with only its own columns (whole columns are
      // the unit's own arrays: no batch is cut from them).
      let whole = 0..<unit.rowCount
      var filterColumns = [Vec](repeating: absent, count: plan.scanColumns.count)
      for (k, s) in filterSlots.enumerated() { filterColumns[s] = first[k].vec(whole) }
      let unitSel = FilterOperator.select(
        filter, Batch(columns: filterColumns, count: unit.rowCount, zones: zones), cache)
      let kept = unitSel.count
      if kept == 0 { continue }
      if kept * Self.lateShare > unit.rowCount {
        // Many rows pass: the other columns whole, and the unit's selection cut by batch.
        let others: [UnitColumn]
        do {
          others = try read(unit, slots: rest)
        } catch {
          throw .storage(error)
        }
        var all = [UnitColumn](repeating: first[0], count: plan.scanColumns.count)
        for (k, s) in filterSlots.enumerated() { all[s] = first[k] }
        for (k, s) in rest.enumerated() { all[s] = others[k] }
        var next = 0  // the first index of unitSel not yet handed out
        var start = 0
        while start < unit.rowCount {
          let range = start..<min(unit.rowCount, start + options.batchSize)
          start = range.upperBound
          var sel = Selection.all(range.count)
          if !unitSel.all {
            var end = next
            let bound = Int32(range.upperBound)
            unitSel.indices.withUnsafeBufferPointer { p in
              while end < p.count, p[end] < bound { end += 1 }
            }
            let offset = Int32(range.lowerBound)
            let local = unitSel.indices[next..<end].map { $0 &- offset }
            next = end
            sel = Selection(all: false, indices: local, count: local.count)
          }
          if sel.count == 0 { continue }
          let batch = Batch(columns: all.map { $0.vec(range) }, count: range.count, zones: zones)
          if try !body(batch, sel) { return }
        }
        continue
      }
      // Few rows pass: every column at those rows only.
      let rows = unitSel.all ? Array(whole) : unitSel.indices.map { Int($0) }
      let others: [ColumnVector]
      do {
        others = try unit.read(columns: rest.map { plan.scanColumns[$0] }, rows: rows)
      } catch {
        throw .storage(error)
      }
      var columns = [Vec](repeating: absent, count: plan.scanColumns.count)
      for (k, s) in filterSlots.enumerated() { columns[s] = first[k].gather(rows) }
      for (k, s) in rest.enumerated() { columns[s] = Vec.from(others[k], range: 0..<rows.count) }
      if try !body(Batch(columns: columns, count: rows.count), .all(rows.count)) { return }
    }
  }
}

extension UnitColumn {
  /// The rows at `rows` as a vector (codes stay codes).
  func gather(_ rows: [Int]) -> Vec {
    switch self {
    case .vector(let v):
      return Vec.from(v.gather(rows), range: 0..<rows.count)
    case .codes(let c):
      return Vec.coded(
        rows.map { c.codes[$0] }, c.entries, valid: c.validity.map { b in rows.map { b[$0] } })
    case .v4(let a, let validity):
      return Vec(
        .v4(rows.map { a[$0] }), valid: validity.map { b in rows.map { b[$0] } },
        count: rows.count)
    }
  }
}
