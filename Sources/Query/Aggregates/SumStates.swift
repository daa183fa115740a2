/// sum over integers and durations (wrapping on overflow).
final class IntSumState: AggregateState {
  let type: DataType
  var sums: [Int64] = []
  var has: [Bool] = []
  init(type: DataType) { self.type = type }
  func resize(_ n: Int) {
    grow(&sums, to: n, with: 0)
    grow(&has, to: n, with: false)
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg, sel.count > 0 else { return }
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
              forEachValid(sel, valid) { j, i in
                let k = Int(g[j])
                s[k] &+= Int64(truncatingIfNeeded: p[i])
                h[k] = true
              }
            } else if s.count == 1 {
              // One group: a plain reduction (vectorises).
              var t: Int64 = 0
              if sel.all {
                for i in 0..<sel.count { t &+= Int64(truncatingIfNeeded: p[i]) }
              } else {
                for j in 0..<sel.count { t &+= Int64(truncatingIfNeeded: p[Int(sel.indices[j])]) }
              }
              s[0] &+= t
              h[0] = true
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
  func integerValues() -> (values: [Int64], present: [Bool])? { (sums, has) }
}

/// Float sums that do not depend on how morsels are spread over workers: each morsel's sum per
/// group is kept as a record, and the records are added in morsel order at the end, exactly as
/// if every morsel had been summed alone and the partials merged in order.
struct MorselSums {
  private var current: [Double] = []
  private var mark: [Int32] = []
  private var touched: [Int32] = []
  private var epoch: Int32 = 0
  /// (morsel, group, sum) for every group a morsel touched.
  private(set) var records: [(morsel: Int32, group: Int32, sum: Double)] = []

  mutating func resize(_ n: Int) {
    grow(&current, to: n, with: 0)
    grow(&mark, to: n, with: -1)
  }

  @inline(__always) mutating func add(_ g: Int, _ x: Double) {
    if mark[g] != epoch {
      mark[g] = epoch
      touched.append(Int32(g))
    }
    current[g] += x
  }

  mutating func endMorsel(_ m: Int) {
    for g in touched {
      records.append((Int32(m), g, current[Int(g)]))
      current[Int(g)] = 0
    }
    touched.removeAll(keepingCapacity: true)
    epoch += 1
  }

  mutating func absorb(_ o: MorselSums, _ map: [Int32]) {
    for r in o.records { records.append((r.morsel, map[Int(r.group)], r.sum)) }
  }

  /// The sums per group (`present[g]` false where no row was added), in morsel order.
  func totals(_ n: Int) -> (sums: [Double], present: [Bool]) {
    var sums = [Double](repeating: 0, count: n)
    var present = [Bool](repeating: false, count: n)
    let ordered = records.enumerated().sorted {
      ($0.element.morsel, $0.offset) < ($1.element.morsel, $1.offset)
    }
    for (_, r) in ordered {
      sums[Int(r.group)] += r.sum
      present[Int(r.group)] = true
    }
    return (sums, present)
  }
}

/// sum over floats.
final class FloatSumState: AggregateState {
  private var partial = MorselSums()
  private var sums: [Double] = []
  private var has: [Bool] = []
  private var groups = 0
  func resize(_ n: Int) {
    groups = max(groups, n)
    partial.resize(n)
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    let a = arg.doubles()
    forEachValid(sel, arg.valid) { j, i in partial.add(Int(gids[j]), a[i]) }
  }
  func endMorsel(_ m: Int) { partial.endMorsel(m) }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    partial.absorb((other as! FloatSumState).partial, map)
  }
  func finish() { (sums, has) = partial.totals(groups) }
  func value(_ g: Int) -> Value { g < has.count && has[g] ? .float(sums[g]) : .null }
}

/// avg: an exact integer sum (or a float sum in morsel order) and a count.
final class AvgState: AggregateState {
  private var intSums: [Int64] = []
  private var counts: [Int64] = []
  private var partial = MorselSums()
  private var floatSums: [Double] = []
  private var groups = 0
  func resize(_ n: Int) {
    groups = max(groups, n)
    grow(&intSums, to: n, with: 0)
    grow(&counts, to: n, with: 0)
    partial.resize(n)
  }
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    if case .float(let a) = arg.data {
      forEachValid(sel, arg.valid) { j, i in
        partial.add(Int(gids[j]), a[i])
        counts[Int(gids[j])] += 1
      }
      return
    }
    let a = arg.ints()
    a.withUnsafeBufferPointer { p in
      intSums.withUnsafeMutableBufferPointer { s in
        counts.withUnsafeMutableBufferPointer { c in
          gids.withUnsafeBufferPointer { g in
            forEachValid(sel, arg.valid) { j, i in
              let k = Int(g[j])
              s[k] &+= p[i]
              c[k] += 1
            }
          }
        }
      }
    }
  }
  func endMorsel(_ m: Int) { partial.endMorsel(m) }
  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! AvgState
    for g in o.counts.indices where o.counts[g] > 0 {
      let k = Int(map[g])
      intSums[k] &+= o.intSums[g]
      counts[k] += o.counts[g]
    }
    partial.absorb(o.partial, map)
  }
  func finish() { floatSums = partial.totals(groups).sums }
  func value(_ g: Int) -> Value {
    guard g < counts.count, counts[g] > 0 else { return .null }
    return .float((Double(intSums[g]) + floatSums[g]) / Double(counts[g]))
  }
}
