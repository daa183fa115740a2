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

/// The best `limit` rows under ``SortKeys``, kept in a binary heap whose root is the worst.
struct TopN: Sendable {
  let order: SortKeys
  let limit: Int
  private(set) var items: [(row: [Value], seq: Int)] = []

  init(order: SortKeys, limit: Int) {
    self.order = order
    self.limit = limit
  }

  private func worse(_ i: Int, _ j: Int) -> Bool {
    order.less(items[j].row, items[j].seq, items[i].row, items[i].seq)
  }

  mutating func insert(_ row: [Value], seq: Int) {
    if limit == 0 { return }
    if items.count < limit {
      items.append((row, seq))
      var c = items.count - 1
      while c > 0 {
        let p = (c - 1) / 2
        if worse(c, p) {
          items.swapAt(c, p)
          c = p
        } else {
          break
        }
      }
      return
    }
    // Replace the root (the worst kept row) when the new row is better.
    guard order.less(row, seq, items[0].row, items[0].seq) else { return }
    items[0] = (row, seq)
    var p = 0
    while true {
      let l = 2 * p + 1
      let r = l + 1
      var w = p
      if l < items.count && worse(l, w) { w = l }
      if r < items.count && worse(r, w) { w = r }
      if w == p { break }
      items.swapAt(p, w)
      p = w
    }
  }

  /// The worst kept row once the heap is full (a new row must beat it to enter).
  var worst: [Value]? { limit > 0 && items.count == limit ? items[0].row : nil }

  /// The kept rows, best first.
  func sorted() -> [[Value]] {
    items.sorted { order.less($0.row, $0.seq, $1.row, $1.seq) }.map(\.row)
  }
}
