import Storage

/// Top-N without aggregation or filter, ordered first by a stored integer or timestamp column
/// (`SELECT * FROM flows ORDER BY bytes DESC LIMIT 100`), in two passes:
/// 1. the key column alone is read, block by block, and the rows that may still be among the
///    best N (on the first key, ties included) are kept as (key, block, row);
/// 2. only the blocks holding the final candidates are read again, for the candidate rows alone
///    (``ScanUnit/read(columns:rows:)``), and their rows go through the ordinary top-N heap.
///
/// The second pass touches the few blocks that hold winners instead of every block with a row
/// that beat the running bar when it was read. Answers, ties included, are those of the
/// one-pass operator: candidates keep the input order (morsel, block, row) as their sequence.
/// Returns nil when the shape does not apply, or when the first key has so many ties at the
/// cut that the candidates would not stay few (the caller then runs the one-pass operator).
enum KeyFirstTopN {
  /// The most candidate rows kept before falling back to the one-pass operator.
  static let maxCandidates = 1 << 20

  private struct Candidate {
    var key: Int64
    var unit: Int32
    var row: Int32
  }

  static func run(_ scan: ScanOperator, topN: TopN) throws(QueryError) -> [[Value]]? {
    let plan = scan.plan
    guard plan.filter.isEmpty, scan.shift == 0, topN.limit > 0,
      let bar = TopNBar(topN.order, plan), let slot = bar.slot
    else { return nil }
    let limit = topN.limit
    let descending = bar.descending
    let position = plan.scanColumns[slot]
    let shared = SharedBound(descending)
    let bound = TopNBar(topN.order, plan, shared: shared)!

    // Pass 1: per morsel, the best `limit` keys seen (a heap whose root is the worst) and every
    // row that could enter when it was read.
    func firstPass(_ m: Int) throws(QueryError) -> (keys: [Int64], rows: [Candidate])? {
      var heap = KeyHeap(limit: limit, descending: descending)
      var rows: [Candidate] = []
      for (u, unit) in scan.morsels[m].enumerated() {
        if scan.cancel?.isCancelled == true { throw .cancelled }
        let worst = heap.worst.map { [Value](repeating: .int($0), count: bar.index + 1) }
        if bound.skips(unit, worst) { continue }
        let column: ColumnVector
        do {
          column = try unit.read(columns: [position])[0]
        } catch {
          throw .storage(error)
        }
        // The rows at or better than the bar (this morsel's worst kept key, or the shared bound
        // when better) in one branch-free pass; then those few go through the heap.
        var bar = heap.worst
        if let s = shared.current, bar.map({ descending ? s > $0 : s < $0 }) ?? true { bar = s }
        for r in Self.atOrBetter(column, bar, descending: descending) {
          guard column.isValid(Int(r)) else { continue }
          let v = column.values.int64(at: Int(r))
          if heap.mayEnter(v) {
            heap.insert(v)
            rows.append(Candidate(key: v, unit: Int32(u), row: r))
          }
        }
        if rows.count > maxCandidates { return nil }
        if let w = heap.worst { shared.publish(w) }
      }
      return (heap.keys, rows)
    }
    let workers = scan.options.parallelism
    let parts = try parallelMap(scan.morsels.count, workers: workers) {
      (m: Int) throws(QueryError) in try firstPass(m)
    }
    var all = KeyHeap(limit: limit, descending: descending)
    var nonNull = 0
    for p in parts {
      guard let p else { return nil }
      for k in p.keys { all.insert(k) }
      nonNull += p.keys.count
    }
    // Fewer than N non-NULL keys: NULL rows (which sort last) make up the rest; the one-pass
    // operator handles that.
    guard nonNull >= limit, let cut = all.worst else { return nil }

    // Pass 2: the candidate rows at or better than the cut, read block by block.
    let project = plan.projections
    let types = project.map(\.type)
    func secondPass(_ m: Int) throws(QueryError) -> [(row: [Value], seq: Int)] {
      guard let p = parts[m] else { return [] }
      let keep = p.rows.filter { descending ? $0.key >= cut : $0.key <= cut }
      var byUnit: [Int32: [Int]] = [:]
      for c in keep { byUnit[c.unit, default: []].append(Int(c.row)) }
      var out: [(row: [Value], seq: Int)] = []
      for u in byUnit.keys.sorted() {
        let rows = byUnit[u]!.sorted()
        let unit = scan.morsels[m][Int(u)]
        let columns: [ColumnVector]
        do {
          columns = try unit.read(columns: plan.scanColumns, rows: rows)
        } catch {
          throw .storage(error)
        }
        let batch = Batch(
          columns: columns.map { Vec.from($0, range: 0..<rows.count) }, count: rows.count)
        let vecs = project.map { VectorEvaluator.evaluate($0, batch) }
        for (i, r) in rows.enumerated() {
          out.append((zip(vecs, types).map { $0.value(i, $1) }, m << 40 | Int(u) << 20 | r))
        }
      }
      return out
    }
    let found = try parallelMap(scan.morsels.count, workers: workers) {
      (m: Int) throws(QueryError) in try secondPass(m)
    }
    var heap = topN
    for p in found { for (r, s) in p { heap.insert(r, seq: s) } }
    return heap.sorted()
  }
}

extension KeyFirstTopN {
  /// The rows of an integer or timestamp column whose value is at or better than `bar` (every
  /// row when nil), NULL rows included (their placeholders are tested like values).
  static func atOrBetter(_ c: ColumnVector, _ bar: Int64?, descending: Bool) -> [Int32] {
    switch c.values {
    case .uint8(let a): return scan(a, bar, descending)
    case .uint16(let a): return scan(a, bar, descending)
    case .uint32(let a): return scan(a, bar, descending)
    case .uint64(let a): return scan(a, bar, descending)
    case .timestamp(let a): return scan(a, bar, descending)
    case .ip, .string: return Array(0..<Int32(c.count))
    }
  }

  @inline(__always)
  private static func scan<T: FixedWidthInteger>(_ a: [T], _ bar: Int64?, _ desc: Bool)
    -> [Int32]
  {
    guard let bar else { return Array(0..<Int32(a.count)) }
    var out = [Int32](repeating: 0, count: a.count)
    var k = 0
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        for i in 0..<p.count {
          let v = Int64(truncatingIfNeeded: p[i])
          o[k] = Int32(i)
          k &+= bit(desc ? v >= bar : v <= bar)
        }
      }
    }
    out.removeLast(out.count - k)
    return out
  }
}

extension ColumnValues {
  /// Value `i` of an integer or timestamp column as Int64 (0 for other types).
  func int64(at i: Int) -> Int64 {
    switch self {
    case .uint8(let a): Int64(a[i])
    case .uint16(let a): Int64(a[i])
    case .uint32(let a): Int64(a[i])
    case .uint64(let a): Int64(truncatingIfNeeded: a[i])
    case .timestamp(let a): a[i]
    case .ip, .string: 0
    }
  }
}

/// The best `limit` integer keys, the worst at the root of a ``BoundedHeap``.
struct KeyHeap {
  private var heap: BoundedHeap<Int64>
  private let descending: Bool

  init(limit: Int, descending: Bool) {
    self.descending = descending
    heap = BoundedHeap(limit: limit) { a, b in descending ? a < b : a > b }
  }

  /// The kept keys, in no particular order.
  var keys: [Int64] { heap.items }

  /// The worst kept key once `limit` keys are kept.
  var worst: Int64? { heap.worst }

  /// True when `v` would be kept, or ties the worst kept key (ties may still win on a later
  /// sort key or by coming first).
  @inline(__always) func mayEnter(_ v: Int64) -> Bool {
    guard let w = heap.worst else { return true }
    return descending ? v >= w : v <= w
  }

  /// Keeps `v` when it is better than the worst kept key (or the heap is not full).
  mutating func insert(_ v: Int64) { heap.insert(v) }
}
