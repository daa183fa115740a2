import Storage
import TestSupport

@testable import Query

/// A deliberately simple, row-at-a-time evaluator of bound plans over a whole batch: one
/// ``Value`` per cell, a dictionary of groups, aggregates computed from the raw value lists.
/// The vectorized engine must agree with it.
enum ReferenceEvaluator {
  static func value(_ c: ColumnVector, _ i: Int) -> Value {
    guard c.isValid(i) else { return .null }
    switch c.values {
    case .uint8(let a): return .int(Int64(a[i]))
    case .uint16(let a): return .int(Int64(a[i]))
    case .uint32(let a): return .int(Int64(a[i]))
    case .uint64(let a): return .int(Int64(bitPattern: a[i]))
    case .timestamp(let a): return .timestamp(a[i])
    case .ip(let a): return .ip(a[i])
    case .string(let a): return .string(a[i])
    }
  }

  static func run(_ sql: String, batch: ColumnBatch, now: Int64) throws -> QueryResult {
    guard case .select(let stmt) = try Parser.parse(sql) else { fatalError("not a select") }
    var binder = Binder(schema: batch.schema, now: now)
    let p = try binder.bindSelect(stmt)
    let cols = p.scanColumns.map {
      batch.columns[$0] ?? .nulls(batch.schema.columns[$0].type, count: batch.rowCount)
    }
    func rowValues(_ i: Int, shift: Int64) -> [Value] {
      cols.enumerated().map { s, c in
        let v = value(c, i)
        if shift != 0, s == p.timeSlot, case .timestamp(let t) = v { return .timestamp(t + shift) }
        return v
      }
    }
    func passing(shift: Int64) -> [[Value]] {
      var out: [[Value]] = []
      for i in 0..<batch.rowCount {
        let r = rowValues(i, shift: shift)
        let ev = ScalarEvaluator(row: r)
        if p.filter.allSatisfy({ ev.evaluate($0) == .bool(true) }) { out.append(r) }
      }
      return out
    }
    let visible = p.columns.count
    let order = SortKeys(keys: p.orderBy)
    guard let agg = p.aggregation else {
      var rows = passing(shift: 0).map { r in
        p.projections.map { ScalarEvaluator(row: r).evaluate($0) }
      }
      rows = order.sort(rows)
      if let l = p.limit { rows = Array(rows.prefix(l)) }
      return QueryResult(columns: p.columns, rows: rows.map { Array($0.prefix(visible)) })
    }
    func aggregate(_ rows: [[Value]], always: Bool) -> [([Value], [Value])] {
      var groups: [[Value]: [[Value]]] = [:]
      var keyOrder: [[Value]] = []
      for r in rows {
        let ev = ScalarEvaluator(row: r)
        let k = agg.keys.map { ev.evaluate($0) }
        if groups[k] == nil { keyOrder.append(k) }
        groups[k, default: []].append(r)
      }
      if always && agg.keys.isEmpty && groups.isEmpty {
        groups[[]] = []
        keyOrder = [[]]
      }
      keyOrder.sort { a, b in
        for (x, y) in zip(a, b) {
          let c = Value.sortOrder(x, y)
          if c != 0 { return c < 0 }
        }
        return false
      }
      return keyOrder.map { k in (k, agg.aggregates.map { compute($0, groups[k]!) }) }
    }
    let groups = aggregate(passing(shift: 0), always: true)
    var baseline: [[Value]: [Value]] = [:]
    if let c = p.compare {
      for (k, a) in aggregate(passing(shift: c.shift), always: false) { baseline[k] = a }
    }
    let selectCount = p.compare?.selectCount ?? visible
    var rows: [[Value]] = []
    for (k, a) in groups {
      var ev = ScalarEvaluator(keys: k, aggregates: a)
      var out = p.projections[0..<selectCount].map { ev.evaluate($0) }
      if let c = p.compare {
        let base = baseline[k]
        for i in c.aggregateOutputs {
          let b =
            base.map { ScalarEvaluator(keys: k, aggregates: $0).evaluate(p.projections[i]) }
            ?? .null
          out.append(b)
          out.append(Compare.change(out[i], b))
        }
        out.append(.bool(base == nil))
      }
      ev.outputs = out
      if let h = p.having, ev.evaluate(h) != .bool(true) { continue }
      for e in p.projections[selectCount...] { out.append(ev.evaluate(e)) }
      rows.append(out)
    }
    rows = order.sort(rows)
    if let l = p.limit { rows = Array(rows.prefix(l)) }
    return QueryResult(columns: p.columns, rows: rows.map { Array($0.prefix(visible)) })
  }

  static func compute(_ spec: AggregateSpec, _ rows: [[Value]]) -> Value {
    let vals = rows.map { r in spec.argument.map { ScalarEvaluator(row: r).evaluate($0) } ?? .int(1)
    }
    let present = vals.filter { !$0.isNull }
    switch spec.kind {
    case .countStar: return .int(Int64(rows.count))
    case .count: return .int(Int64(present.count))
    case .countDistinct, .approxCountDistinct: return .int(Int64(Set(present).count))
    case .sum:
      if present.isEmpty { return .null }
      if spec.type == .float { return .float(present.reduce(0) { $0 + $1.doubleValue! }) }
      let s = present.reduce(Int64(0)) { $0 &+ $1.intValue! }
      return spec.type == .duration ? .duration(s) : .int(s)
    case .avg:
      if present.isEmpty { return .null }
      return .float(present.reduce(0.0) { $0 + $1.doubleValue! } / Double(present.count))
    case .min, .max:
      if present.isEmpty { return .null }
      let sorted = present.sorted { Value.sortOrder($0, $1) < 0 }
      return spec.kind == .min ? sorted.first! : sorted.last!
    case .quantile(let q):
      if present.isEmpty { return .null }
      let sorted = present.sorted { Value.sortOrder($0, $1) < 0 }
      let k = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
      return sorted[k]
    }
  }

  /// Equal, with floats compared to a relative tolerance (summation order differs).
  static func same(_ a: QueryResult, _ b: QueryResult, approximateColumns: Set<Int> = []) -> Bool {
    guard a.columns == b.columns, a.rows.count == b.rows.count else { return false }
    for (x, y) in zip(a.rows, b.rows) {
      for (i, (u, v)) in zip(x, y).enumerated() {
        if approximateColumns.contains(i) {
          guard let p = u.doubleValue, let q = v.doubleValue,
            abs(p - q) <= max(3, 0.05 * abs(q))
          else { return false }
          continue
        }
        if case .float(let p) = u, case .float(let q) = v {
          if abs(p - q) > 1e-9 * max(1, abs(p), abs(q)) { return false }
        } else if u != v {
          return false
        }
      }
    }
    return true
  }
}
