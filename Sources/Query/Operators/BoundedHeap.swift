/// The best `limit` elements seen, in a binary heap whose root is the worst kept: what every
/// top-N keeps (rows, groups, keys). `worse(a, b)` is true when `a` ranks below `b`.
struct BoundedHeap<Element> {
  let limit: Int
  let worse: (Element, Element) -> Bool
  private(set) var items: [Element] = []

  init(limit: Int, worse: @escaping (Element, Element) -> Bool) {
    self.limit = limit
    self.worse = worse
    items.reserveCapacity(min(limit, 1 << 16))
  }

  /// The worst kept element once `limit` are kept.
  var worst: Element? { limit > 0 && items.count == limit ? items[0] : nil }

  /// Keeps `e` while fewer than `limit` are kept, or in place of the worst when `e` is better.
  mutating func insert(_ e: Element) {
    if limit == 0 { return }
    if items.count < limit {
      items.append(e)
      var c = items.count - 1
      while c > 0, worse(items[c], items[(c - 1) / 2]) {
        items.swapAt(c, (c - 1) / 2)
        c = (c - 1) / 2
      }
      return
    }
    guard worse(items[0], e) else { return }
    items[0] = e
    var p = 0
    while true {
      let l = 2 * p + 1
      let r = l + 1
      var w = p
      if l < items.count && worse(items[l], items[w]) { w = l }
      if r < items.count && worse(items[r], items[w]) { w = r }
      if w == p { break }
      items.swapAt(p, w)
      p = w
    }
  }
}
