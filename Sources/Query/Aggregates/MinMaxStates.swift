import Storage

/// The per-group minimum or maximum of values of one ordered type.
struct MinMaxCore<T: Comparable> {
  let isMin: Bool
  let zero: T
  var values: [T] = []
  var has: [Bool] = []

  init(isMin: Bool, zero: T) {
    self.isMin = isMin
    self.zero = zero
  }

  mutating func resize(_ n: Int) {
    grow(&values, to: n, with: zero)
    grow(&has, to: n, with: false)
  }

  @inline(__always) mutating func update(
    _ a: [T], _ gids: [Int32], _ sel: Selection, _ valid: [Bool]?
  ) {
    let isMin = isMin
    a.withUnsafeBufferPointer { p in
      values.withUnsafeMutableBufferPointer { v in
        has.withUnsafeMutableBufferPointer { h in
          gids.withUnsafeBufferPointer { g in
            if v.count == 1 && valid == nil {
              // One group: reduce the batch first, then fold the result in once.
              var best = p[sel.all ? 0 : Int(sel.indices[0])]
              forEachSelected(sel) { _, i in
                let x = p[i]
                if isMin ? x < best : x > best { best = x }
              }
              if !h[0] || (isMin ? best < v[0] : best > v[0]) {
                v[0] = best
                h[0] = true
              }
              return
            }
            forEachValid(sel, valid) { j, i in
              let k = Int(g[j])
              let x = p[i]
              if !h[k] || (isMin ? x < v[k] : x > v[k]) {
                v[k] = x
                h[k] = true
              }
            }
          }
        }
      }
    }
  }

  mutating func merge(_ o: MinMaxCore<T>, _ map: [Int32]) {
    for g in o.values.indices where o.has[g] {
      let k = Int(map[g])
      if !has[k] || (isMin ? o.values[g] < values[k] : o.values[g] > values[k]) {
        values[k] = o.values[g]
        has[k] = true
      }
    }
  }
}

/// min / max over any ordered type: integers, timestamps and durations as Int64, floats,
/// strings and addresses, each through a loop specialised for its type. Exactly one core is
/// set; each is mutated in place.
final class MinMaxState: AggregateState {
  private var ints: MinMaxCore<Int64>?
  private var floats: MinMaxCore<Double>?
  private var strings: MinMaxCore<String>?
  private var ips: MinMaxCore<IPAddress>?
  private let type: DataType

  init(isMin: Bool, type: DataType) {
    self.type = type
    switch type {
    case .float: floats = MinMaxCore(isMin: isMin, zero: 0)
    case .string: strings = MinMaxCore(isMin: isMin, zero: "")
    case .ip: ips = MinMaxCore(isMin: isMin, zero: .zero)
    default: ints = MinMaxCore(isMin: isMin, zero: 0)
    }
  }

  func resize(_ n: Int) {
    ints?.resize(n)
    floats?.resize(n)
    strings?.resize(n)
    ips?.resize(n)
  }

  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg, sel.count > 0 else { return }
    if ints != nil { ints!.update(arg.ints(), gids, sel, arg.valid) }
    if floats != nil { floats!.update(arg.doubles(), gids, sel, arg.valid) }
    if strings != nil { strings!.update(arg.strings(), gids, sel, arg.valid) }
    if ips != nil { ips!.update(arg.ips(), gids, sel, arg.valid) }
  }

  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! MinMaxState
    if let x = o.ints { ints!.merge(x, map) }
    if let x = o.floats { floats!.merge(x, map) }
    if let x = o.strings { strings!.merge(x, map) }
    if let x = o.ips { ips!.merge(x, map) }
  }

  func value(_ g: Int) -> Value {
    if let c = ints {
      guard g < c.has.count, c.has[g] else { return .null }
      let v = c.values[g]
      switch type {
      case .timestamp: return .timestamp(v)
      case .duration: return .duration(v)
      case .bool: return .bool(v != 0)
      case .null: return .null
      default: return .int(v)
      }
    }
    if let c = floats { return g < c.has.count && c.has[g] ? .float(c.values[g]) : .null }
    if let c = strings { return g < c.has.count && c.has[g] ? .string(c.values[g]) : .null }
    if let c = ips { return g < c.has.count && c.has[g] ? .ip(c.values[g]) : .null }
    return .null
  }

  func integerValues() -> (values: [Int64], present: [Bool])? {
    guard let c = ints, [.int, .timestamp, .duration].contains(type) else { return nil }
    return (c.values, c.has)
  }
}

/// The min/max state for an argument of logical type `type`.
func makeMinMax(isMin: Bool, type: DataType) -> any AggregateState {
  MinMaxState(isMin: isMin, type: type)
}
