/// ORDER BY over finished groups when every sort key is a group key or an aggregate: groups
/// are compared by id through the table and the states (integer aggregates as typed arrays), so
/// a top-N never builds rows for the groups it drops. Ties go to the canonical key order, as a
/// stable sort of rows in key order would leave them.
struct GroupOrder {
  private enum Source {
    case key(Int)
    case integers([Int64], present: [Bool])
    case values([Value])
  }
  private let sources: [(source: Source, descending: Bool)]
  private let result: AggregateResult

  /// Nil when a sort key is an expression (the row-based sort handles those).
  init?(_ p: SelectPlan, _ result: AggregateResult) {
    guard !p.orderBy.isEmpty else { return nil }
    var sources: [(Source, Bool)] = []
    for (index, descending) in p.orderBy {
      switch p.projections[index] {
      case .key(let k, _):
        sources.append((.key(k), descending))
      case .aggregate(let a, _):
        let state = result.states[a]
        if let (v, present) = state.integerValues() {
          sources.append((.integers(v, present: present), descending))
        } else {
          var column = [Value](repeating: .null, count: result.table.capacity)
          for g in result.groups { column[g] = state.value(g) }
          sources.append((.values(column), descending))
        }
      default:
        return nil
      }
    }
    self.sources = sources
    self.result = result
  }

  /// True when group `a` sorts before group `b`.
  func less(_ a: Int, _ b: Int) -> Bool {
    for (source, descending) in sources {
      var c: Int
      switch source {
      case .key(let k):
        c = result.table.compareKey(a, b, column: k)
        // NULLs last in both directions.
        let x = result.table.keyValue(a, k).isNull
        let y = result.table.keyValue(b, k).isNull
        if x != y { return y }
      case .integers(let v, let present):
        let x = a < present.count && present[a]
        let y = b < present.count && present[b]
        if x != y { return x }
        c = !x ? 0 : v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0
      case .values(let v):
        if v[a].isNull != v[b].isNull { return v[b].isNull }
        c = Value.sortOrder(v[a], v[b])
      }
      if descending { c = -c }
      if c != 0 { return c < 0 }
    }
    return result.table.compareKeys(a, b) < 0
  }

  /// The first `limit` groups in this order, best first.
  func top(_ limit: Int) -> [Int] {
    if limit >= result.groups.count { return result.groups.sorted(by: less) }
    if limit == 0 { return [] }
    var heap = BoundedHeap<Int>(limit: limit) { less($1, $0) }
    for g in result.groups { heap.insert(g) }
    return heap.items.sorted(by: less)
  }
}
