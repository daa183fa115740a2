/// count(*) and count(expr).
final class CountState: AggregateState {
  let star: Bool
  var counts: [Int64] = []
  init(star: Bool) { self.star = star }
  func resize(_ n: Int) { grow(&counts, to: n, with: 0) }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    let valid = star ? nil : arg?.valid
    counts.withUnsafeMutableBufferPointer { c in
      gids.withUnsafeBufferPointer { g in
        if let valid {
          forEachValid(sel, valid) { j, _ in c[Int(g[j])] += 1 }
        } else if c.count == 1 {
          c[0] += Int64(sel.count)
        } else if c.count <= 256 && sel.count >= 512 {
          // Few groups: four interleaved histograms, so that rows of one group do not wait on
          // each other's increments.
          withUnsafeTemporaryAllocation(of: Int64.self, capacity: 4 * c.count) { h in
            h.initialize(repeating: 0)
            let w = c.count
            var j = 0
            while j + 4 <= sel.count {
              h[Int(g[j])] += 1
              h[w + Int(g[j + 1])] += 1
              h[2 * w + Int(g[j + 2])] += 1
              h[3 * w + Int(g[j + 3])] += 1
              j += 4
            }
            while j < sel.count {
              h[Int(g[j])] += 1
              j += 1
            }
            for k in 0..<w { c[k] += h[k] + h[w + k] + h[2 * w + k] + h[3 * w + k] }
          }
        } else {
          for j in 0..<sel.count { c[Int(g[j])] += 1 }
        }
      }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! CountState
    for (g, v) in o.counts.enumerated() where v != 0 { counts[Int(map[g])] += v }
  }
  func value(_ g: Int) -> Value { .int(g < counts.count ? counts[g] : 0) }
  func integerValues() -> (values: [Int64], present: [Bool])? {
    (counts, [Bool](repeating: true, count: counts.count))
  }
}
