import Storage

/// The per-group state of one aggregate, stored column-wise (one array per field, indexed by
/// group id) and updated a batch at a time by loops specialised for the argument's type.
protocol AggregateState: AnyObject {
  /// Makes room for group ids below `n`.
  func resize(_ n: Int)
  /// Folds the selected rows in: `gids[j]` is the group of the `j`-th selected row.
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?)
  /// Folds in another partial state; `map[g]` is the id here of its group `g`.
  func merge(_ other: any AggregateState, _ map: [Int32])
  /// The final value of group `g`.
  func value(_ g: Int) -> Value
}

/// Creates the state for an aggregate.
func makeAggregateState(_ spec: AggregateSpec) -> any AggregateState {
  let argType = spec.argument?.type ?? .int
  switch spec.kind {
  case .countStar: return CountState(star: true)
  case .count: return CountState(star: false)
  case .sum: return argType == .float ? FloatSumState() : IntSumState(type: spec.type)
  case .avg: return AvgState()
  case .min, .max: return makeMinMax(isMin: spec.kind == .min, type: argType)
  case .countDistinct: return DistinctState(type: argType)
  case .approxCountDistinct: return HyperLogLogState(type: argType)
  case .quantile(let q):
    return argType == .float
      ? QuantileState<Double>(q: q, type: argType, extract: { $0.doubles() }, wrap: Value.float)
      : QuantileState<Int64>(
        q: q, type: argType, extract: { $0.ints() },
        wrap: { v in
          argType == .timestamp ? .timestamp(v) : argType == .duration ? .duration(v) : .int(v)
        })
  }
}

/// Iterates the selected rows as (position in selection, row index).
@inline(__always) func forEachSelected(_ sel: Selection, _ body: (Int, Int) -> Void) {
  if sel.all {
    for i in 0..<sel.count { body(i, i) }
  } else {
    sel.indices.withUnsafeBufferPointer { p in
      for j in 0..<p.count { body(j, Int(p[j])) }
    }
  }
}

/// count(*) and count(expr).
final class CountState: AggregateState {
  let star: Bool
  var counts: [Int64] = []
  init(star: Bool) { self.star = star }
  func resize(_ n: Int) {
    if counts.count < n { counts.append(contentsOf: repeatElement(0, count: n - counts.count)) }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    let valid = star ? nil : arg?.valid
    counts.withUnsafeMutableBufferPointer { c in
      gids.withUnsafeBufferPointer { g in
        if let valid {
          forEachSelected(sel) { j, i in if valid[i] { c[Int(g[j])] += 1 } }
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
}

/// sum over integers and durations (wrapping on overflow).
final class IntSumState: AggregateState {
  let type: DataType
  var sums: [Int64] = []
  var has: [Bool] = []
  init(type: DataType) { self.type = type }
  func resize(_ n: Int) {
    if sums.count < n {
      sums.append(contentsOf: repeatElement(0, count: n - sums.count))
      has.append(contentsOf: repeatElement(false, count: n - has.count))
    }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    switch arg.data {
    case .u8(let a): add(a, arg.valid, gids, sel)
    case .u16(let a): add(a, arg.valid, gids, sel)
    case .u32(let a): add(a, arg.valid, gids, sel)
    case .u64(let a): add(a, arg.valid, gids, sel)
    case .int(let a): add(a, arg.valid, gids, sel)
    default: break
    }
  }
  @inline(__always) private func add<T: FixedWidthInteger>(
    _ a: [T], _ valid: [Bool]?, _ gids: [Int32], _ sel: Selection
  ) {
    sums.withUnsafeMutableBufferPointer { s in
      has.withUnsafeMutableBufferPointer { h in
        a.withUnsafeBufferPointer { p in
          gids.withUnsafeBufferPointer { g in
            if let valid {
              forEachSelected(sel) { j, i in
                if valid[i] {
                  let k = Int(g[j])
                  s[k] &+= Int64(truncatingIfNeeded: p[i])
                  h[k] = true
                }
              }
            } else if sel.all {
              for i in 0..<sel.count {
                let k = Int(g[i])
                s[k] &+= Int64(truncatingIfNeeded: p[i])
                h[k] = true
              }
            } else {
              for j in 0..<sel.count {
                let k = Int(g[j])
                s[k] &+= Int64(truncatingIfNeeded: p[Int(sel.indices[j])])
                h[k] = true
              }
            }
          }
        }
      }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! IntSumState
    for g in o.sums.indices where o.has[g] {
      let k = Int(map[g])
      sums[k] &+= o.sums[g]
      has[k] = true
    }
  }
  func value(_ g: Int) -> Value {
    guard g < has.count, has[g] else { return .null }
    return type == .duration ? .duration(sums[g]) : .int(sums[g])
  }
}

/// sum over floats.
final class FloatSumState: AggregateState {
  var sums: [Double] = []
  var has: [Bool] = []
  func resize(_ n: Int) {
    if sums.count < n {
      sums.append(contentsOf: repeatElement(0, count: n - sums.count))
      has.append(contentsOf: repeatElement(false, count: n - has.count))
    }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    let a = arg.doubles()
    sums.withUnsafeMutableBufferPointer { s in
      has.withUnsafeMutableBufferPointer { h in
        forEachSelected(sel) { j, i in
          if arg.isValid(i) {
            s[Int(gids[j])] += a[i]
            h[Int(gids[j])] = true
          }
        }
      }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! FloatSumState
    for g in o.sums.indices where o.has[g] {
      sums[Int(map[g])] += o.sums[g]
      has[Int(map[g])] = true
    }
  }
  func value(_ g: Int) -> Value { g < has.count && has[g] ? .float(sums[g]) : .null }
}

/// avg: an exact integer sum (or float sum) and a count.
final class AvgState: AggregateState {
  var intSums: [Int64] = []
  var floatSums: [Double] = []
  var counts: [Int64] = []
  func resize(_ n: Int) {
    if counts.count < n {
      let k = n - counts.count
      intSums.append(contentsOf: repeatElement(0, count: k))
      floatSums.append(contentsOf: repeatElement(0, count: k))
      counts.append(contentsOf: repeatElement(0, count: k))
    }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    if case .float(let a) = arg.data {
      forEachSelected(sel) { j, i in
        if arg.isValid(i) {
          floatSums[Int(gids[j])] += a[i]
          counts[Int(gids[j])] += 1
        }
      }
    } else {
      let a = arg.ints()
      forEachSelected(sel) { j, i in
        if arg.isValid(i) {
          intSums[Int(gids[j])] &+= a[i]
          counts[Int(gids[j])] += 1
        }
      }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! AvgState
    for g in o.counts.indices where o.counts[g] > 0 {
      let k = Int(map[g])
      intSums[k] &+= o.intSums[g]
      floatSums[k] += o.floatSums[g]
      counts[k] += o.counts[g]
    }
  }
  func value(_ g: Int) -> Value {
    guard g < counts.count, counts[g] > 0 else { return .null }
    return .float((Double(intSums[g]) + floatSums[g]) / Double(counts[g]))
  }
}

/// min / max over any ordered type.
final class MinMaxState<T: Comparable>: AggregateState {
  let isMin: Bool
  let extract: (Vec) -> [T]
  let wrap: (T) -> Value
  let zero: T
  var values: [T] = []
  var has: [Bool] = []
  init(isMin: Bool, zero: T, extract: @escaping (Vec) -> [T], wrap: @escaping (T) -> Value) {
    self.isMin = isMin
    self.zero = zero
    self.extract = extract
    self.wrap = wrap
  }
  func resize(_ n: Int) {
    if values.count < n {
      values.append(contentsOf: repeatElement(zero, count: n - values.count))
      has.append(contentsOf: repeatElement(false, count: n - has.count))
    }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    let a = extract(arg)
    let isMin = isMin
    forEachSelected(sel) { j, i in
      guard arg.isValid(i) else { return }
      let k = Int(gids[j])
      if !has[k] || (isMin ? a[i] < values[k] : a[i] > values[k]) {
        values[k] = a[i]
        has[k] = true
      }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! MinMaxState<T>
    for g in o.values.indices where o.has[g] {
      let k = Int(map[g])
      if !has[k] || (isMin ? o.values[g] < values[k] : o.values[g] > values[k]) {
        values[k] = o.values[g]
        has[k] = true
      }
    }
  }
  func value(_ g: Int) -> Value { g < has.count && has[g] ? wrap(values[g]) : .null }
}

func makeMinMax(isMin: Bool, type: DataType) -> any AggregateState {
  switch type {
  case .float:
    return MinMaxState<Double>(isMin: isMin, zero: 0, extract: { $0.doubles() }, wrap: Value.float)
  case .string:
    return MinMaxState<String>(
      isMin: isMin, zero: "", extract: { $0.strings() }, wrap: Value.string)
  case .ip:
    return MinMaxState<IPAddressKey>(
      isMin: isMin, zero: IPAddressKey(.zero), extract: { $0.ips().map(IPAddressKey.init) },
      wrap: { .ip($0.a) })
  case .bool, .null:
    return MinMaxState<Int64>(
      isMin: isMin, zero: 0, extract: { $0.ints() },
      wrap: { type == .null ? .null : .bool($0 != 0) })
  case .int, .timestamp, .duration:
    return MinMaxState<Int64>(
      isMin: isMin, zero: 0, extract: { $0.ints() },
      wrap: { type == .timestamp ? .timestamp($0) : type == .duration ? .duration($0) : .int($0) })
  }
}

/// An address with its numeric order (kept separate so states stay generic over Comparable).
struct IPAddressKey: Comparable {
  let a: IPAddress
  init(_ a: IPAddress) { self.a = a }
  static func < (x: IPAddressKey, y: IPAddressKey) -> Bool { x.a < y.a }
}

/// count(DISTINCT x): the exact set of values per group.
final class DistinctState: AggregateState {
  let type: DataType
  var sets: [Set<Value>] = []
  init(type: DataType) { self.type = type }
  func resize(_ n: Int) {
    if sets.count < n { sets.append(contentsOf: repeatElement([], count: n - sets.count)) }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    let t = type
    forEachSelected(sel) { j, i in
      if arg.isValid(i) { sets[Int(gids[j])].insert(arg.value(i, t)) }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! DistinctState
    for g in o.sets.indices where !o.sets[g].isEmpty { sets[Int(map[g])].formUnion(o.sets[g]) }
  }
  func value(_ g: Int) -> Value { .int(g < sets.count ? Int64(sets[g].count) : 0) }
}

/// quantile(x, q), exact: every value is kept and the discrete quantile (the value at sorted
/// position ceil(q·n) − 1, as DuckDB's quantile_disc) is taken at the end.
final class QuantileState<T: Comparable>: AggregateState {
  let q: Double
  let type: DataType
  let extract: (Vec) -> [T]
  let wrap: (T) -> Value
  var values: [[T]] = []
  init(q: Double, type: DataType, extract: @escaping (Vec) -> [T], wrap: @escaping (T) -> Value) {
    self.q = q
    self.type = type
    self.extract = extract
    self.wrap = wrap
  }
  func resize(_ n: Int) {
    if values.count < n { values.append(contentsOf: repeatElement([], count: n - values.count)) }
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    let a = extract(arg)
    forEachSelected(sel) { j, i in
      if arg.isValid(i) { values[Int(gids[j])].append(a[i]) }
    }
  }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! QuantileState<T>
    for g in o.values.indices where !o.values[g].isEmpty {
      values[Int(map[g])].append(contentsOf: o.values[g])
    }
  }
  func value(_ g: Int) -> Value {
    guard g < values.count, !values[g].isEmpty else { return .null }
    let n = values[g].count
    let k = Swift.min(n - 1, Swift.max(0, Int((q * Double(n)).rounded(.up)) - 1))
    // Selection would be O(n); sorting keeps it simple and exact.
    return wrap(values[g].sorted()[k])
  }
}
