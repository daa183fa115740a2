import Storage

/// Resolves names and types of a parsed statement against a table schema, folds constants and
/// builds the ``SelectPlan``.
struct Binder {
  let schema: TableSchema
  /// The query's `now()`, fixed once per statement.
  let now: Int64
  private(set) var scanColumns: [Int] = []

  /// Where expressions are bound: over table columns, or after aggregation.
  private enum Scope {
    case scan
    case aggregated(allowOutputs: Bool)
  }

  // Aggregation state while binding.
  private var groupTexts: [String] = []
  private var keyTypes: [DataType] = []
  private var aggregates: [AggregateSpec] = []
  private var outputNames: [String] = []
  private var outputTypes: [DataType] = []
  private var aggregateContext = "the select list"

  init(schema: TableSchema, now: Int64) {
    self.schema = schema
    self.now = now
  }

  // MARK: - SELECT

  mutating func bindSelect(_ s: SelectStatement) throws(QueryError) -> SelectPlan {
    // Expand `*` and name the items.
    var items: [(Expr, String)] = []
    for item in s.items {
      switch item {
      case .star(let loc):
        for c in schema.columns { items.append((Expr(.column(c.name), at: loc), c.name)) }
      case .expr(let e, let alias):
        items.append((e, alias ?? e.text))
      }
    }
    var filter: [BoundExpr] = []
    if let w = s.whereClause {
      aggregateContext = "WHERE"
      let b = try bind(w, .scan)
      try requireBool(b, w, "WHERE")
      filter = b.conjuncts.filter { $0 != .constant(.bool(true), .bool) }
    }
    let isAggregate =
      !s.groupBy.isEmpty || s.compareWith != nil
      || items.contains { containsAggregateCall($0.0) }
      || s.having.map(containsAggregateCall) == true
    var projections: [BoundExpr] = []
    var columns: [ResultColumn] = []
    var aggregation: AggregationPlan?
    var having: BoundExpr?
    var compare: ComparePlan?

    if isAggregate {
      // GROUP BY items: ordinals and aliases resolve to select items.
      var keys: [BoundExpr] = []
      aggregateContext = "GROUP BY"
      for g in s.groupBy {
        var e = g
        if case .integer(let n) = g.kind {
          guard n >= 1, n <= items.count else {
            throw .invalid("GROUP BY position \(n) is not in the select list", at: g.location)
          }
          e = items[Int(n) - 1].0
        } else if case .column(let name) = g.kind, schema.index(of: name) == nil,
          let item = items.first(where: { $0.1 == name })
        {
          e = item.0
        }
        if containsAggregateCall(e) {
          throw .invalid("GROUP BY cannot contain an aggregate", at: g.location)
        }
        let b = try bind(e, .scan)
        keys.append(b)
        groupTexts.append(e.text)
        keyTypes.append(b.type)
      }
      aggregateContext = ""
      for (e, name) in items {
        let b = try bind(e, .aggregated(allowOutputs: false))
        projections.append(b)
        columns.append(ResultColumn(name: name, type: b.type))
      }
      outputNames = columns.map(\.name)
      outputTypes = columns.map(\.type)
      if let c = s.compareWith {
        let d = try bind(c, .scan)
        guard case .constant(.duration(let shift), _) = d, shift > 0 else {
          throw .typeMismatch("COMPARE WITH needs a positive duration such as 1d", at: c.location)
        }
        let timePos = schema.timeIndex
        let (_, range) = ZoneTest.derive(
          from: filter, scanColumns: scanColumns, timeColumn: timePos)
        guard let range, range.lowerBound != Int64.min else {
          throw .unboundedCompare(at: s.compareLocation ?? c.location)
        }
        if range.upperBound == Int64.max, let timePos {
          // No upper bound: the window ends now (so the baseline ends at now - d).
          let slot = slot(for: timePos)
          filter.append(
            .compare(
              .lessEqual, .column(slot: slot, type: .timestamp),
              .constant(.timestamp(now), .timestamp)))
        }
        let aggOutputs = projections.indices.filter { projections[$0].containsAggregate }
        for i in aggOutputs {
          let t = columns[i].type
          columns.append(ResultColumn(name: columns[i].name + "_baseline", type: t))
          let ct: DataType =
            t.isNumeric ? t : (t == .timestamp || t == .duration) ? .duration : .null
          columns.append(ResultColumn(name: columns[i].name + "_change", type: ct))
        }
        columns.append(ResultColumn(name: "is_new", type: .bool))
        compare = ComparePlan(shift: shift, aggregateOutputs: aggOutputs, selectCount: items.count)
        outputNames = columns.map(\.name)
        outputTypes = columns.map(\.type)
      }
      if let h = s.having {
        let b = try bind(h, .aggregated(allowOutputs: true))
        try requireBool(b, h, "HAVING")
        having = b
      }
      aggregation = AggregationPlan(keys: keys, aggregates: [])
    } else {
      for (e, name) in items {
        let b = try bind(e, .scan)
        projections.append(b)
        columns.append(ResultColumn(name: name, type: b.type))
      }
      outputNames = columns.map(\.name)
      outputTypes = columns.map(\.type)
    }

    // ORDER BY: ordinal, output name, or an expression (a hidden extra column).
    var orderBy: [(Int, Bool)] = []
    var extended = projections.count + (columns.count - projections.count)
    var hidden: [BoundExpr] = []
    for o in s.orderBy {
      if case .integer(let n) = o.expr.kind {
        guard n >= 1, n <= columns.count else {
          throw .invalid("ORDER BY position \(n) is not in the select list", at: o.expr.location)
        }
        orderBy.append((Int(n) - 1, o.descending))
        continue
      }
      if case .column(let name) = o.expr.kind, let i = outputNames.firstIndex(of: name) {
        orderBy.append((i, o.descending))
        continue
      }
      if let i = outputNames.firstIndex(of: o.expr.text) {
        orderBy.append((i, o.descending))
        continue
      }
      let b = try bind(o.expr, isAggregate ? .aggregated(allowOutputs: true) : .scan)
      hidden.append(b)
      orderBy.append((extended, o.descending))
      extended += 1
    }
    if var a = aggregation {
      a.aggregates = aggregates
      aggregation = a
    }
    let timePos = schema.timeIndex
    let (tests, range) = ZoneTest.derive(
      from: filter, scanColumns: scanColumns, timeColumn: timePos)
    return SelectPlan(
      table: schema.name, schema: schema, scanColumns: scanColumns, filter: filter,
      timeRange: range, zoneTests: tests, aggregation: aggregation,
      projections: projections + hidden, columns: columns, having: having, orderBy: orderBy,
      limit: s.limit, compare: compare,
      timeSlot: timePos.flatMap { scanColumns.firstIndex(of: $0) })
  }

  private func requireBool(_ b: BoundExpr, _ e: Expr, _ clause: String) throws(QueryError) {
    guard b.type == .bool || b.type == .null else {
      throw .typeMismatch("\(clause) needs a boolean condition, not \(b.type)", at: e.location)
    }
  }

  private func containsAggregateCall(_ e: Expr) -> Bool {
    switch e.kind {
    case .call(let name, let args, _, _):
      return AggregateKind.names.contains(name) || args.contains(where: containsAggregateCall)
    case .unary(_, let x), .isNull(let x, _): return containsAggregateCall(x)
    case .binary(_, let l, let r), .like(let l, let r, _):
      return containsAggregateCall(l) || containsAggregateCall(r)
    case .between(let a, let b, let c, _):
      return [a, b, c].contains(where: containsAggregateCall)
    case .inList(let x, let list, _): return ([x] + list).contains(where: containsAggregateCall)
    default: return false
    }
  }

  private mutating func slot(for position: Int) -> Int {
    if let s = scanColumns.firstIndex(of: position) { return s }
    scanColumns.append(position)
    return scanColumns.count - 1
  }

  // MARK: - Expressions

  private mutating func bind(_ e: Expr, _ scope: Scope) throws(QueryError) -> BoundExpr {
    if case .aggregated(let allowOutputs) = scope {
      if let k = groupTexts.firstIndex(of: e.text) { return .key(k, keyTypes[k]) }
      if case .column(let name) = e.kind {
        if allowOutputs, let i = outputNames.firstIndex(of: name) {
          return .output(i, outputTypes[i])
        }
        guard schema.index(of: name) != nil else { throw unknownColumn(name, e.location) }
        throw .invalid(
          "column '\(name)' must appear in GROUP BY or be used in an aggregate", at: e.location)
      }
      if case .call(let name, let args, let distinct, let star) = e.kind,
        AggregateKind.names.contains(name)
      {
        var bound: [BoundExpr] = []
        for a in args {
          if containsAggregateCall(a) {
            throw .invalid("aggregates cannot be nested", at: a.location)
          }
          bound.append(try bind(a, .scan))
        }
        let spec = try AggregateSpec.bind(
          name: name, args: bound, distinct: distinct, star: star, text: e.text, at: e.location)
        if let i = aggregates.firstIndex(where: { $0.text == spec.text }) {
          return .aggregate(i, spec.type)
        }
        aggregates.append(spec)
        return .aggregate(aggregates.count - 1, spec.type)
      }
    }
    let loc = e.location
    switch e.kind {
    case .integer(let v): return .constant(.int(v), .int)
    case .decimal(let v): return .constant(.float(v), .float)
    case .string(let s): return .constant(.string(s), .string)
    case .duration(let ms, _): return .constant(.duration(ms), .duration)
    case .boolean(let b): return .constant(.bool(b), .bool)
    case .null: return .constant(.null, .null)
    case .column(let name):
      guard let pos = schema.index(of: name) else { throw unknownColumn(name, loc) }
      return .column(slot: slot(for: pos), type: DataType(schema.columns[pos].type))
    case .unary(.negate, let x):
      let b = try bind(x, scope)
      guard b.type.isNumeric || b.type == .duration || b.type == .null else {
        throw .typeMismatch("cannot negate \(b.type)", at: loc)
      }
      return fold(.negate(b, b.type))
    case .unary(.not, let x):
      let b = try bind(x, scope)
      guard b.type == .bool || b.type == .null else {
        throw .typeMismatch("NOT needs a boolean, not \(b.type)", at: loc)
      }
      return fold(.not(b))
    case .binary(let op, let l, let r):
      switch op {
      case .and, .or:
        let a = try bind(l, scope)
        let b = try bind(r, scope)
        for (x, src) in [(a, l), (b, r)] where x.type != .bool && x.type != .null {
          throw .typeMismatch("\(op.rawValue) needs booleans, not \(x.type)", at: src.location)
        }
        return foldLogic(op == .and ? .and(a, b) : .or(a, b))
      case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
        return try bindComparison(ComparisonOperator(rawValue: op.rawValue)!, l, r, loc, scope)
      case .add, .subtract, .multiply, .divide, .modulo:
        let a = try bind(l, scope)
        let b = try bind(r, scope)
        let aop = ArithmeticOperator(rawValue: op.rawValue)!
        let t = try arithmeticType(aop, a.type, b.type, loc)
        return fold(.arithmetic(aop, a, b, t))
      }
    case .between(let x, let lo, let hi, let neg):
      let a = try bindComparison(.greaterEqual, x, lo, loc, scope)
      let b = try bindComparison(.lessEqual, x, hi, loc, scope)
      let both = foldLogic(.and(a, b))
      return neg ? fold(.not(both)) : both
    case .isNull(let x, let neg):
      return fold(.isNull(try bind(x, scope), negated: neg))
    case .like(let x, let p, let neg):
      let a = try bind(x, scope)
      guard a.type == .string || a.type == .null else {
        throw .typeMismatch("LIKE needs a string on the left, not \(a.type)", at: x.location)
      }
      guard case .constant(let pv, _) = try bind(p, scope) else {
        throw .invalid("LIKE needs a constant pattern", at: p.location)
      }
      guard case .string(let pattern) = pv else {
        if pv.isNull { return .constant(.null, .bool) }
        throw .typeMismatch("LIKE pattern must be a string", at: p.location)
      }
      return fold(.like(a, LikePattern(pattern), negated: neg))
    case .inList(let x, let list, let neg):
      return try bindIn(x, list, neg, loc, scope)
    case .call(let name, let args, _, let star):
      if AggregateKind.names.contains(name) {
        throw .invalid(
          "aggregate \(name)() is not allowed in \(aggregateContext.isEmpty ? "this position" : aggregateContext)",
          at: loc)
      }
      if name == "now" {
        guard args.isEmpty, !star else { throw .invalid("now() takes no arguments", at: loc) }
        return .constant(.timestamp(now), .timestamp)
      }
      guard let f = ScalarFunction(rawValue: name) else {
        throw .unknownFunction(
          name,
          suggestion: closestName(
            to: name, in: ScalarFunction.allNames + Array(AggregateKind.names)),
          at: loc)
      }
      if star { throw .invalid("\(name)(*) is not valid", at: loc) }
      var bound: [BoundExpr] = []
      for a in args { bound.append(try bind(a, scope)) }
      let t = try f.resultType(bound, at: loc)
      return fold(.call(f, bound, t))
    }
  }

  private func unknownColumn(_ name: String, _ loc: SourceLocation) -> QueryError {
    .unknownColumn(
      name, suggestion: closestName(to: name, in: schema.columns.map(\.name) + outputNames),
      at: loc)
  }

  /// A string literal read as the type of the other side, or nil when it is not a literal.
  private func coerce(_ e: Expr, to t: DataType) throws(QueryError) -> BoundExpr? {
    guard case .string(let s) = e.kind else { return nil }
    switch t {
    case .timestamp:
      guard let ms = ISO8601.parse(s) else {
        throw .malformedLiteral(s, expected: "timestamp (ISO 8601)", at: e.location)
      }
      return .constant(.timestamp(ms), .timestamp)
    case .ip:
      guard let a = IPAddress(s) else {
        throw .malformedLiteral(s, expected: s.contains("/") ? "CIDR" : "address", at: e.location)
      }
      return .constant(.ip(a), .ip)
    case .duration:
      guard let d = Duration.parse(s) else {
        throw .malformedLiteral(s, expected: "duration", at: e.location)
      }
      return .constant(.duration(d), .duration)
    default:
      return nil
    }
  }

  private mutating func bindComparison(
    _ op: ComparisonOperator, _ l: Expr, _ r: Expr, _ loc: SourceLocation, _ scope: Scope
  ) throws(QueryError) -> BoundExpr {
    var a = try bind(l, scope)
    var b = try bind(r, scope)
    // CIDR containment: ip = 'a.b.c.d/n'.
    for (col, lit) in [(a, r), (b, l)] {
      if col.type == .ip, case .string(let s) = lit.kind, s.contains("/") {
        guard op == .equal || op == .notEqual else {
          throw .typeMismatch("a CIDR block can only be compared with = or !=", at: loc)
        }
        guard let block = CIDR(s) else {
          throw .malformedLiteral(s, expected: "CIDR", at: lit.location)
        }
        return fold(.inCIDR(col, [block], negated: op == .notEqual))
      }
    }
    if a.type != .string, let c = try coerce(r, to: a.type) { b = c }
    if b.type != .string, let c = try coerce(l, to: b.type) { a = c }
    guard a.type.isComparable(with: b.type) else {
      throw .typeMismatch("cannot compare \(a.type) with \(b.type)", at: loc)
    }
    return fold(.compare(op, a, b))
  }

  private mutating func bindIn(
    _ x: Expr, _ list: [Expr], _ neg: Bool, _ loc: SourceLocation, _ scope: Scope
  ) throws(QueryError) -> BoundExpr {
    let a = try bind(x, scope)
    if a.type == .ip {
      var blocks: [CIDR] = []
      var rest: [BoundExpr] = []
      for item in list {
        if case .string(let s) = item.kind {
          guard let block = CIDR(s) else {
            throw .malformedLiteral(
              s, expected: s.contains("/") ? "CIDR" : "address", at: item.location)
          }
          blocks.append(block)
        } else {
          let b = try bind(item, scope)
          guard b.type == .ip || b.type == .null else {
            throw .typeMismatch("cannot compare ip with \(b.type)", at: item.location)
          }
          rest.append(b)
        }
      }
      if rest.isEmpty { return fold(.inCIDR(a, blocks, negated: neg)) }
      var e: BoundExpr =
        blocks.isEmpty ? .constant(.bool(false), .bool) : .inCIDR(a, blocks, negated: false)
      for b in rest { e = foldLogic(.or(e, fold(.compare(.equal, a, b)))) }
      return neg ? fold(.not(e)) : e
    }
    var bound: [BoundExpr] = []
    for item in list {
      var b = try bind(item, scope)
      if b.type == .string, a.type != .string, let c = try coerce(item, to: a.type) { b = c }
      guard a.type.isComparable(with: b.type) else {
        throw .typeMismatch("cannot compare \(a.type) with \(b.type)", at: item.location)
      }
      bound.append(b)
    }
    if bound.allSatisfy(\.isConstant) {
      let values = bound.map { b -> Value in
        if case .constant(let v, _) = b { return v }
        return .null
      }
      return fold(.inList(a, values, negated: neg))
    }
    var e = fold(.compare(.equal, a, bound[0]))
    for b in bound.dropFirst() { e = foldLogic(.or(e, fold(.compare(.equal, a, b)))) }
    return neg ? fold(.not(e)) : e
  }

  private func arithmeticType(
    _ op: ArithmeticOperator, _ a: DataType, _ b: DataType, _ loc: SourceLocation
  ) throws(QueryError) -> DataType {
    func fail() -> QueryError {
      .typeMismatch("cannot apply \(op.rawValue) to \(a) and \(b)", at: loc)
    }
    if a == .null && b == .null { return .null }
    if a == .null || b == .null {
      let t = a == .null ? b : a
      if t.isNumeric { return op == .divide ? .float : t }
      if t == .timestamp || t == .duration { return t }
      throw fail()
    }
    switch (a, b) {
    case (.int, .int): return op == .divide ? .float : .int
    case (.int, .float), (.float, .int), (.float, .float): return .float
    case (.timestamp, .duration) where op == .add || op == .subtract: return .timestamp
    case (.duration, .timestamp) where op == .add: return .timestamp
    case (.timestamp, .timestamp) where op == .subtract: return .duration
    case (.duration, .duration) where op == .add || op == .subtract: return .duration
    case (.duration, .int) where op == .multiply || op == .divide: return .duration
    case (.int, .duration) where op == .multiply: return .duration
    default: throw fail()
    }
  }

  // MARK: - Constant folding

  /// Evaluates a node whose children are all constants.
  private func fold(_ e: BoundExpr) -> BoundExpr {
    let kids = e.children
    guard !kids.isEmpty, kids.allSatisfy(\.isConstant) else { return e }
    if case .call(.timeBucket, _, _) = e {}  // pure: folds like the rest
    return .constant(ScalarEvaluator().evaluate(e), e.type)
  }

  /// Folds AND / OR, also when only one side is constant.
  private func foldLogic(_ e: BoundExpr) -> BoundExpr {
    switch e {
    case .and(let l, let r):
      for (x, y) in [(l, r), (r, l)] {
        if case .constant(.bool(false), _) = x { return .constant(.bool(false), .bool) }
        if case .constant(.bool(true), _) = x { return y }
      }
    case .or(let l, let r):
      for (x, y) in [(l, r), (r, l)] {
        if case .constant(.bool(true), _) = x { return .constant(.bool(true), .bool) }
        if case .constant(.bool(false), _) = x { return y }
      }
    default: break
    }
    return fold(e)
  }
}
