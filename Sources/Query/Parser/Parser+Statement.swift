extension Parser {
  /// statement = [ "EXPLAIN" ] select | "SHOW" "TABLES" | ( "DESCRIBE" | "DESC" ) name ;
  mutating func parseStatement() throws(QueryError) -> Statement {
    let stmt: Statement
    if accept(keyword: "explain") {
      stmt = .explain(try parseSelect())
    } else if accept(keyword: "show") {
      try expect(keyword: "tables")
      stmt = .showTables
    } else if current.isKeyword("describe") || current.isKeyword("desc") {
      _ = advance()
      let (name, loc) = try parseName("a table name")
      stmt = .describe(table: name, at: loc)
    } else if current.isKeyword("select") {
      stmt = .select(try parseSelect())
    } else {
      throw unexpected("SELECT, EXPLAIN, SHOW TABLES or DESCRIBE")
    }
    _ = accept(symbol: ";")
    guard current.kind == .end else { throw unexpected("end of statement") }
    return stmt
  }

  /// select = "SELECT" items "FROM" name [where] [group] [compare] [having] [order] [limit] ;
  mutating func parseSelect() throws(QueryError) -> SelectStatement {
    try expect(keyword: "select")
    var items: [SelectItem] = []
    repeat {
      items.append(try parseSelectItem())
    } while accept(symbol: ",")
    try expect(keyword: "from")
    let (table, tableLoc) = try parseName("a table name")
    var s = SelectStatement(
      items: items, table: table, tableLocation: tableLoc, whereClause: nil, groupBy: [],
      compareWith: nil, compareLocation: nil, having: nil, orderBy: [], limit: nil)
    if accept(keyword: "where") { s.whereClause = try parseExpression() }
    if accept(keyword: "group") {
      try expect(keyword: "by")
      repeat {
        s.groupBy.append(try parseExpression())
      } while accept(symbol: ",")
    }
    if current.isKeyword("compare") {
      s.compareLocation = advance().location
      try expect(keyword: "with")
      s.compareWith = try parseAdditive()
      try expect(keyword: "ago")
    }
    if accept(keyword: "having") { s.having = try parseExpression() }
    if accept(keyword: "order") {
      try expect(keyword: "by")
      repeat {
        let e = try parseExpression()
        var desc = false
        if accept(keyword: "desc") {
          desc = true
        } else {
          _ = accept(keyword: "asc")
        }
        s.orderBy.append(OrderItem(expr: e, descending: desc))
      } while accept(symbol: ",")
    }
    if accept(keyword: "limit") {
      let t = current
      guard t.kind == .integer else { throw unexpected("a row count after LIMIT") }
      guard let n = Int(t.text) else {
        throw .malformedLiteral(t.text, expected: "row count", at: t.location)
      }
      _ = advance()
      s.limit = n
    }
    return s
  }

  /// item = "*" | expression [ [ "AS" ] name ] ;
  mutating func parseSelectItem() throws(QueryError) -> SelectItem {
    if current.isSymbol("*") { return .star(advance().location) }
    let e = try parseExpression()
    if accept(keyword: "as") {
      return .expr(e, alias: try parseName("an alias after AS").0)
    }
    if current.kind == .quotedIdentifier
      || (current.kind == .identifier && !Parser.reserved.contains(current.text.lowercased()))
    {
      return .expr(e, alias: try parseName("an alias").0)
    }
    return .expr(e, alias: nil)
  }
}
