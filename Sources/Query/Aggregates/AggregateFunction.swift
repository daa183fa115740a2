/// The aggregate functions.
enum AggregateKind: Sendable, Equatable {
  /// count(*).
  case countStar
  /// count(expr): non-NULL values.
  case count
  /// count(DISTINCT expr), exact.
  case countDistinct
  /// approx_count_distinct(expr): HyperLogLog, 2^12 registers, standard error about 1.6 %.
  case approxCountDistinct
  /// sum(expr).
  case sum
  /// min(expr).
  case min
  /// max(expr).
  case max
  /// avg(expr), always float.
  case avg
  /// quantile(expr, q): exact, discrete (a value of the input).
  case quantile(Double)

  /// The names users call them by.
  static let names: Set<String> = [
    "count", "sum", "min", "max", "avg", "quantile", "approx_count_distinct",
  ]
}

/// One aggregate the plan computes: its kind, argument (over scan slots) and result type.
struct AggregateSpec: Sendable, Equatable {
  var kind: AggregateKind
  var argument: BoundExpr?
  var type: DataType
  /// The source text, used to share one computation between identical calls.
  var text: String

  /// Checks an aggregate call and builds its spec.
  static func bind(
    name: String, args: [BoundExpr], distinct: Bool, star: Bool, text: String,
    at loc: SourceLocation
  ) throws(QueryError) -> AggregateSpec {
    if star {
      guard name == "count" else { throw .invalid("only count accepts *", at: loc) }
      return AggregateSpec(kind: .countStar, argument: nil, type: .int, text: text)
    }
    if distinct && name != "count" {
      throw .invalid("DISTINCT is only supported in count(DISTINCT x)", at: loc)
    }
    let expected = name == "quantile" ? 2 : 1
    guard args.count == expected else {
      throw .invalid("\(name)() takes \(expected) argument\(expected == 1 ? "" : "s")", at: loc)
    }
    let arg = args[0]
    let t = arg.type
    switch name {
    case "count":
      return AggregateSpec(
        kind: distinct ? .countDistinct : .count, argument: arg, type: .int, text: text)
    case "approx_count_distinct":
      return AggregateSpec(kind: .approxCountDistinct, argument: arg, type: .int, text: text)
    case "sum":
      guard t.isNumeric || t == .duration || t == .null else {
        throw .typeMismatch("sum() needs a number or duration, not \(t)", at: loc)
      }
      return AggregateSpec(kind: .sum, argument: arg, type: t == .null ? .int : t, text: text)
    case "avg":
      guard t.isNumeric || t == .null else {
        throw .typeMismatch("avg() needs a number, not \(t)", at: loc)
      }
      return AggregateSpec(kind: .avg, argument: arg, type: .float, text: text)
    case "min", "max":
      return AggregateSpec(kind: name == "min" ? .min : .max, argument: arg, type: t, text: text)
    case "quantile":
      guard t.isNumeric || t == .timestamp || t == .duration else {
        throw .typeMismatch("quantile() needs a number, timestamp or duration, not \(t)", at: loc)
      }
      guard case .constant(let qv, _) = args[1], let q = qv.doubleValue, q >= 0, q <= 1 else {
        throw .invalid("quantile() needs a constant fraction between 0 and 1", at: loc)
      }
      return AggregateSpec(kind: .quantile(q), argument: arg, type: t, text: text)
    default:
      throw .unknownFunction(name, suggestion: nil, at: loc)
    }
  }
}
