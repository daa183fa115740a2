/// Evaluates bound expressions over a whole batch at once: each operator is one loop over
/// contiguous typed arrays (no per-row dispatch on value kinds).
enum VectorEvaluator {
  static func evaluate(_ e: BoundExpr, _ b: Batch, _ cache: EvalCache? = nil) -> Vec {
    let n = b.count
    switch e {
    case .column(let s, _):
      return b.columns[s]
    case .constant(let v, let t):
      return Vec.broadcast(t == .float ? (v.doubleValue.map(Value.float) ?? v) : v, t, count: n)
    case .negate(let x, let t):
      let v = evaluate(x, b, cache)
      if t == .float { return Vec(.float(v.doubles().map { -$0 }), valid: v.valid, count: n) }
      return Vec(.int(v.ints().map { 0 &- $0 }), valid: v.valid, count: n)
    case .not(let x):
      let v = evaluate(x, b, cache)
      return Vec(.bool(v.bools().map { !$0 }), valid: v.valid, count: n)
    case .arithmetic(let op, let l, let r, let t):
      return arithmetic(op, evaluate(l, b, cache), evaluate(r, b, cache), t, n)
    case .compare(let op, let l, let r):
      return compare(op, l, r, b, cache)
    case .and(let l, let r), .or(let l, let r):
      var isAnd = false
      if case .and = e { isAnd = true }
      return logic(isAnd, evaluate(l, b, cache), evaluate(r, b, cache), n)
    case .isNull(let x, let neg):
      let v = evaluate(x, b, cache)
      guard let valid = v.valid else {
        return Vec(.bool(.init(repeating: neg, count: n)), count: n)
      }
      return Vec(.bool(neg ? valid : valid.map { !$0 }), count: n)
    case .inList(let x, let list, let neg):
      return inList(evaluate(x, b, cache), x.type, list, neg, n)
    case .inCIDR(let x, let blocks, let neg):
      let v = evaluate(x, b, cache)
      let a = v.ips()
      var out = [Bool](repeating: false, count: n)
      for i in 0..<n {
        var hit = false
        for blk in blocks where blk.contains(a[i]) {
          hit = true
          break
        }
        out[i] = hit != neg
      }
      return Vec(.bool(out), valid: v.valid, count: n)
    case .like(let x, let p, let neg):
      let v = evaluate(x, b, cache)
      return Vec(.bool(v.perRow { p.matches($0) != neg }), valid: v.valid, count: n)
    case .call(let f, let args, _):
      return f.evaluate(args.map { evaluate($0, b, cache) }, count: n, cache: cache)
    case .key, .aggregate, .output:
      preconditionFailure("post-aggregation reference in a scan expression")
    }
  }

  private static func arithmetic(
    _ op: ArithmeticOperator, _ a: Vec, _ b: Vec, _ t: DataType, _ n: Int
  ) -> Vec {
    var valid = andValid(a.valid, b.valid)
    if t == .float {
      let x = a.doubles()
      let y = b.doubles()
      var out = [Double](repeating: 0, count: n)
      switch op {
      case .add: for i in 0..<n { out[i] = x[i] + y[i] }
      case .subtract: for i in 0..<n { out[i] = x[i] - y[i] }
      case .multiply: for i in 0..<n { out[i] = x[i] * y[i] }
      case .divide, .modulo:
        var v = valid ?? [Bool](repeating: true, count: n)
        for i in 0..<n {
          if y[i] == 0 {
            v[i] = false
          } else {
            out[i] = op == .divide ? x[i] / y[i] : x[i].truncatingRemainder(dividingBy: y[i])
          }
        }
        valid = v
      }
      return Vec(.float(out), valid: valid, count: n)
    }
    let x = a.ints()
    let y = b.ints()
    var out = [Int64](repeating: 0, count: n)
    switch op {
    case .add: for i in 0..<n { out[i] = x[i] &+ y[i] }
    case .subtract: for i in 0..<n { out[i] = x[i] &- y[i] }
    case .multiply: for i in 0..<n { out[i] = x[i] &* y[i] }
    case .divide, .modulo:
      var v = valid ?? [Bool](repeating: true, count: n)
      for i in 0..<n {
        if let r = ScalarEvaluator.intArithmetic(op, x[i], y[i]) {
          out[i] = r
        } else {
          v[i] = false
        }
      }
      valid = v
    }
    return Vec(.int(out), valid: valid, count: n)
  }

  private static func logic(_ isAnd: Bool, _ a: Vec, _ b: Vec, _ n: Int) -> Vec {
    let x = a.bools()
    let y = b.bools()
    var out = [Bool](repeating: false, count: n)
    if a.valid == nil && b.valid == nil {
      if isAnd {
        for i in 0..<n { out[i] = x[i] && y[i] }
      } else {
        for i in 0..<n { out[i] = x[i] || y[i] }
      }
      return Vec(.bool(out), count: n)
    }
    var valid = [Bool](repeating: true, count: n)
    for i in 0..<n {
      let va = a.isValid(i)
      let vb = b.isValid(i)
      if isAnd {
        if (va && !x[i]) || (vb && !y[i]) {
          out[i] = false
        } else if va && vb {
          out[i] = true
        } else {
          valid[i] = false
        }
      } else {
        if (va && x[i]) || (vb && y[i]) {
          out[i] = true
        } else if va && vb {
          out[i] = false
        } else {
          valid[i] = false
        }
      }
    }
    return Vec(.bool(out), valid: valid, count: n)
  }

  private static func compare(
    _ op: ComparisonOperator, _ l: BoundExpr, _ r: BoundExpr, _ b: Batch, _ cache: EvalCache?
  ) -> Vec {
    let n = b.count
    let a = evaluate(l, b, cache)
    let c = evaluate(r, b, cache)
    let valid = andValid(a.valid, c.valid)
    let out: [Bool]
    let lt = l.type
    let rt = r.type
    if lt == .float || rt == .float {
      out = compareArrays(op, a.doubles(), c.doubles())
    } else {
      switch (a.data, c.data) {
      case (.codes, _), (_, .codes):
        if case .constant(.string(let k), _) = r {
          out = a.perRow { op.holds($0 < k ? -1 : $0 == k ? 0 : 1) }
        } else if case .constant(.string(let k), _) = l {
          out = c.perRow { op.holds(k < $0 ? -1 : k == $0 ? 0 : 1) }
        } else {
          out = compareArrays(op, a.strings(), c.strings())
        }
      case (.string(let x), .string(let y)): out = compareArrays(op, x, y)
      case (.ip(let x), .ip(let y)): out = compareArrays(op, x, y)
      case (.v4, _), (_, .v4): out = compareArrays(op, a.ips(), c.ips())
      case (.bool(let x), .bool(let y)):
        out = compareArrays(op, x.map { $0 ? 1 : 0 }, y.map { $0 ? 1 : 0 })
      default:
        if lt == .null || rt == .null {
          out = [Bool](repeating: false, count: n)
        } else {
          out = compareArrays(op, a.ints(), c.ints())
        }
      }
    }
    return Vec(
      .bool(out),
      valid: valid ?? ((lt == .null || rt == .null) ? [Bool](repeating: false, count: n) : nil),
      count: n)
  }

  @inline(__always) static func compareArrays<T: Comparable>(
    _ op: ComparisonOperator, _ x: [T], _ y: [T]
  ) -> [Bool] {
    let n = x.count
    var out = [Bool](repeating: false, count: n)
    switch op {
    case .equal: for i in 0..<n { out[i] = x[i] == y[i] }
    case .notEqual: for i in 0..<n { out[i] = x[i] != y[i] }
    case .less: for i in 0..<n { out[i] = x[i] < y[i] }
    case .lessEqual: for i in 0..<n { out[i] = x[i] <= y[i] }
    case .greater: for i in 0..<n { out[i] = x[i] > y[i] }
    case .greaterEqual: for i in 0..<n { out[i] = x[i] >= y[i] }
    }
    return out
  }

  private static func inList(_ v: Vec, _ t: DataType, _ list: [Value], _ neg: Bool, _ n: Int)
    -> Vec
  {
    let hasNull = list.contains(where: \.isNull)
    var out = [Bool](repeating: false, count: n)
    switch v.data {
    case .string, .codes:
      let set = Set(list.compactMap { if case .string(let s) = $0 { s } else { nil } })
      out = v.perRow { set.contains($0) }
    case .ip, .v4:
      let a = v.ips()
      let set = Set(list.compactMap { if case .ip(let s) = $0 { s } else { nil } })
      for i in 0..<n { out[i] = set.contains(a[i]) }
    case .bool(let a):
      let set = Set(list.compactMap { if case .bool(let s) = $0 { s } else { nil } })
      for i in 0..<n { out[i] = set.contains(a[i]) }
    case .float(let a):
      let set = Set(list.compactMap(\.doubleValue))
      for i in 0..<n { out[i] = set.contains(a[i]) }
    default:
      let a = v.ints()
      if list.contains(where: { $0.type == .float }) {
        let set = Set(list.compactMap(\.doubleValue))
        for i in 0..<n { out[i] = set.contains(Double(a[i])) }
      } else {
        let set = Set(list.compactMap(\.intValue))
        for i in 0..<n { out[i] = set.contains(a[i]) }
      }
    }
    // x IN (..., NULL) is NULL when not found; NOT IN flips found rows only.
    var valid = v.valid
    if hasNull {
      var vv = valid ?? [Bool](repeating: true, count: n)
      for i in 0..<n where !out[i] { vv[i] = false }
      valid = vv
    }
    if neg { for i in 0..<n { out[i] = !out[i] } }
    return Vec(.bool(out), valid: valid, count: n)
  }
}
