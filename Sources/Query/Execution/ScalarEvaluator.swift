/// Row-at-a-time evaluation of bound expressions over ``Value``s.
///
/// Used after aggregation (few rows), for constant folding, and as the straightforward
/// reference the vectorized engine is tested against.
struct ScalarEvaluator {
  /// Values by scan slot (before aggregation).
  var row: [Value] = []
  /// Group key values (after aggregation).
  var keys: [Value] = []
  /// Aggregate values (after aggregation).
  var aggregates: [Value] = []
  /// Output columns of the result row (HAVING / ORDER BY by name).
  var outputs: [Value] = []

  func evaluate(_ e: BoundExpr) -> Value {
    switch e {
    case .column(let s, _): return row[s]
    case .constant(let v, let t): return t == .float ? (v.doubleValue.map(Value.float) ?? v) : v
    case .key(let i, _): return keys[i]
    case .aggregate(let i, _): return aggregates[i]
    case .output(let i, _): return outputs[i]
    case .negate(let x, _):
      switch evaluate(x) {
      case .int(let v): return .int(0 &- v)
      case .float(let v): return .float(-v)
      case .duration(let v): return .duration(0 &- v)
      default: return .null
      }
    case .not(let x):
      if case .bool(let b) = evaluate(x) { return .bool(!b) }
      return .null
    case .arithmetic(let op, let l, let r, let t):
      return ScalarEvaluator.arithmetic(op, evaluate(l), evaluate(r), t)
    case .compare(let op, let l, let r):
      guard let c = Value.compare(evaluate(l), evaluate(r)) else { return .null }
      return .bool(op.holds(c))
    case .and(let l, let r):
      let a = evaluate(l)
      if case .bool(false) = a { return .bool(false) }
      let b = evaluate(r)
      if case .bool(false) = b { return .bool(false) }
      if a.isNull || b.isNull { return .null }
      return .bool(true)
    case .or(let l, let r):
      let a = evaluate(l)
      if case .bool(true) = a { return .bool(true) }
      let b = evaluate(r)
      if case .bool(true) = b { return .bool(true) }
      if a.isNull || b.isNull { return .null }
      return .bool(false)
    case .isNull(let x, let neg):
      return .bool(evaluate(x).isNull != neg)
    case .inList(let x, let list, let neg):
      let v = evaluate(x)
      if v.isNull { return .null }
      var sawNull = false
      for item in list {
        if item.isNull {
          sawNull = true
        } else if Value.compare(v, item) == 0 {
          return .bool(!neg)
        }
      }
      return sawNull ? .null : .bool(neg)
    case .inCIDR(let x, let blocks, let neg):
      guard case .ip(let a) = evaluate(x) else { return .null }
      return .bool(blocks.contains { $0.contains(a) } != neg)
    case .like(let x, let p, let neg):
      guard case .string(let s) = evaluate(x) else { return .null }
      return .bool(p.matches(s) != neg)
    case .call(let f, let args, _):
      return f.evaluate(args.map(evaluate))
    }
  }

  /// Arithmetic with FlowQL's rules: integer overflow wraps, `/` is float division, division
  /// or modulo by zero is NULL, timestamps and durations combine as documented.
  static func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, _ t: DataType) -> Value {
    if a.isNull || b.isNull { return .null }
    if t == .float {
      guard let x = a.doubleValue, let y = b.doubleValue else { return .null }
      switch op {
      case .add: return .float(x + y)
      case .subtract: return .float(x - y)
      case .multiply: return .float(x * y)
      case .divide: return y == 0 ? .null : .float(x / y)
      case .modulo: return y == 0 ? .null : .float(x.truncatingRemainder(dividingBy: y))
      }
    }
    guard let x = a.intValue, let y = b.intValue else { return .null }
    guard let v = intArithmetic(op, x, y) else { return .null }
    switch t {
    case .timestamp: return .timestamp(v)
    case .duration: return .duration(v)
    default: return .int(v)
    }
  }

  /// Integer arithmetic (wrapping; nil for division or modulo by zero).
  @inline(__always) static func intArithmetic(_ op: ArithmeticOperator, _ x: Int64, _ y: Int64)
    -> Int64?
  {
    switch op {
    case .add: return x &+ y
    case .subtract: return x &- y
    case .multiply: return x &* y
    case .divide: return y == 0 ? nil : x.dividedReportingOverflow(by: y).partialValue
    case .modulo: return y == 0 ? nil : x.remainderReportingOverflow(dividingBy: y).partialValue
    }
  }
}
