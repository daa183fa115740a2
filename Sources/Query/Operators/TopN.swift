/// ORDER BY keys over result rows: NULLs sort last in both directions; ties keep input order.
struct SortKeys: Sendable {
  var keys: [(index: Int, descending: Bool)]

  /// True when `a` (input position `sa`) sorts before `b` (position `sb`).
  func less(_ a: [Value], _ sa: Int, _ b: [Value], _ sb: Int) -> Bool {
    for (i, desc) in keys {
      let x = a[i]
      let y = b[i]
      if x.isNull != y.isNull { return y.isNull }
      var c = Value.sortOrder(x, y)
      if desc { c = -c }
      if c != 0 { return c < 0 }
    }
    return sa < sb
  }

  /// A stable sort of rows.
  func sort(_ rows: [[Value]]) -> [[Value]] {
    let idx = rows.indices.sorted { less(rows[$0], $0, rows[$1], $1) }
    return idx.map { rows[$0] }
  }
}

/// The best `limit` rows under ``SortKeys``, kept in a ``BoundedHeap`` whose root is the worst.
struct TopN {
  let order: SortKeys
  let limit: Int
  private var heap: BoundedHeap<(row: [Value], seq: Int)>

  init(order: SortKeys, limit: Int) {
    self.order = order
    self.limit = limit
    heap = BoundedHeap(limit: limit) { a, b in order.less(b.row, b.seq, a.row, a.seq) }
  }

  /// The kept rows with their input positions, in no particular order.
  var items: [(row: [Value], seq: Int)] { heap.items }

  mutating func insert(_ row: [Value], seq: Int) { heap.insert((row, seq)) }

  /// The worst kept row once the heap is full (a new row must beat it to enter).
  var worst: [Value]? { heap.worst?.row }

  /// The kept rows, best first.
  func sorted() -> [[Value]] {
    heap.items.sorted { order.less($0.row, $0.seq, $1.row, $1.seq) }.map(\.row)
  }
}
