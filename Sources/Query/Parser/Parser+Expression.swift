extension Parser {
  /// expression = or_expr ;
  mutating func parseExpression() throws(QueryError) -> Expr {
    try parseOr()
  }

  /// or_expr = and_expr { "OR" and_expr } ;
  mutating func parseOr() throws(QueryError) -> Expr {
    var left = try parseAnd()
    while current.isKeyword("or") {
      let loc = advance().location
      left = Expr(.binary(.or, left, try parseAnd()), at: loc)
    }
    return left
  }

  /// and_expr = not_expr { "AND" not_expr } ;
  mutating func parseAnd() throws(QueryError) -> Expr {
    var left = try parseNot()
    while current.isKeyword("and") {
      let loc = advance().location
      left = Expr(.binary(.and, left, try parseNot()), at: loc)
    }
    return left
  }

  /// not_expr = "NOT" not_expr | predicate ;
  mutating func parseNot() throws(QueryError) -> Expr {
    if current.isKeyword("not") {
      let loc = advance().location
      return Expr(.unary(.not, try parseNot()), at: loc)
    }
    return try parsePredicate()
  }

  /// predicate = additive [ comparison | in | between | like | is_null ] ;
  mutating func parsePredicate() throws(QueryError) -> Expr {
    let left = try parseAdditive()
    let t = current
    if t.kind == .symbol, let op = BinaryOperator(rawValue: t.text), op.isComparison {
      _ = advance()
      return Expr(.binary(op, left, try parseAdditive()), at: t.location)
    }
    if t.isKeyword("is") {
      _ = advance()
      let neg = accept(keyword: "not")
      try expect(keyword: "null")
      return Expr(.isNull(left, negated: neg), at: t.location)
    }
    var negated = false
    if t.isKeyword("not"),
      peek().isKeyword("in") || peek().isKeyword("between") || peek().isKeyword("like")
    {
      _ = advance()
      negated = true
    }
    let opTok = current
    if accept(keyword: "in") {
      try expect(symbol: "(")
      var list: [Expr] = []
      repeat {
        list.append(try parseAdditive())
      } while accept(symbol: ",")
      try expect(symbol: ")")
      return Expr(.inList(left, list, negated: negated), at: opTok.location)
    }
    if accept(keyword: "between") {
      let lo = try parseAdditive()
      try expect(keyword: "and")
      let hi = try parseAdditive()
      return Expr(.between(left, lo, hi, negated: negated), at: opTok.location)
    }
    if accept(keyword: "like") {
      return Expr(.like(left, try parseAdditive(), negated: negated), at: opTok.location)
    }
    return left
  }

  /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
  mutating func parseAdditive() throws(QueryError) -> Expr {
    var left = try parseMultiplicative()
    while current.isSymbol("+") || current.isSymbol("-") {
      let t = advance()
      let right = try parseMultiplicative()
      left = Expr(.binary(t.text == "+" ? .add : .subtract, left, right), at: t.location)
    }
    return left
  }

  /// multiplicative = unary { ( "*" | "/" | "%" ) unary } ;
  mutating func parseMultiplicative() throws(QueryError) -> Expr {
    var left = try parseUnary()
    while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
      let t = advance()
      let op: BinaryOperator = t.text == "*" ? .multiply : t.text == "/" ? .divide : .modulo
      left = Expr(.binary(op, left, try parseUnary()), at: t.location)
    }
    return left
  }

  /// unary = ( "-" | "+" ) unary | primary ;
  mutating func parseUnary() throws(QueryError) -> Expr {
    if current.isSymbol("-") {
      let loc = advance().location
      let operand = try parseUnary()
      switch operand.kind {
      case .integer(let v): return Expr(.integer(0 &- v), at: loc)
      case .decimal(let v): return Expr(.decimal(-v), at: loc)
      default: return Expr(.unary(.negate, operand), at: loc)
      }
    }
    if accept(symbol: "+") { return try parseUnary() }
    return try parsePrimary()
  }

  /// primary = literal | call | name | "(" expression ")" ;
  mutating func parsePrimary() throws(QueryError) -> Expr {
    let t = current
    switch t.kind {
    case .integer:
      _ = advance()
      if let v = Int64(t.text) { return Expr(.integer(v), at: t.location) }
      if let d = Double(t.text) { return Expr(.decimal(d), at: t.location) }
      throw .malformedLiteral(t.text, expected: "number", at: t.location)
    case .decimal:
      _ = advance()
      guard let d = Double(t.text), d.isFinite else {
        throw .malformedLiteral(t.text, expected: "number", at: t.location)
      }
      return Expr(.decimal(d), at: t.location)
    case .duration:
      _ = advance()
      guard let ms = Duration.parse(t.text) else {
        throw .malformedLiteral(t.text, expected: "duration", at: t.location)
      }
      return Expr(.duration(ms, text: t.text), at: t.location)
    case .string:
      _ = advance()
      return Expr(.string(t.text), at: t.location)
    case .quotedIdentifier:
      _ = advance()
      return Expr(.column(t.text), at: t.location)
    case .symbol where t.text == "(":
      _ = advance()
      let e = try parseExpression()
      try expect(symbol: ")")
      return e
    case .identifier:
      let word = t.text.lowercased()
      if word == "true" || word == "false" {
        _ = advance()
        return Expr(.boolean(word == "true"), at: t.location)
      }
      if word == "null" {
        _ = advance()
        return Expr(.null, at: t.location)
      }
      if Parser.reserved.contains(word) { throw unexpected("an expression") }
      _ = advance()
      if current.isSymbol("(") { return try parseCall(word, at: t.location) }
      return Expr(.column(word), at: t.location)
    default:
      throw unexpected("an expression")
    }
  }

  /// call = name "(" [ "*" | [ "DISTINCT" ] expression { "," expression } ] ")" ;
  mutating func parseCall(_ name: String, at loc: SourceLocation) throws(QueryError) -> Expr {
    try expect(symbol: "(")
    if accept(symbol: "*") {
      try expect(symbol: ")")
      return Expr(.call(name: name, args: [], distinct: false, star: true), at: loc)
    }
    let distinct = accept(keyword: "distinct")
    var args: [Expr] = []
    if !current.isSymbol(")") || distinct {
      repeat {
        args.append(try parseExpression())
      } while accept(symbol: ",")
    }
    try expect(symbol: ")")
    return Expr(.call(name: name, args: args, distinct: distinct, star: false), at: loc)
  }
}
