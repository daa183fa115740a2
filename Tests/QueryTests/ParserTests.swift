import Storage
import TestSupport
import Testing

@testable import Query

/// Error positions are marked in the query text with `⏏` just before the offending spot.
func marked(_ text: String) -> (sql: String, line: Int, column: Int) {
  var line = 1
  var column = 1
  var sql = ""
  var found: (Int, Int)?
  for c in text {
    if c == "⏏" {
      found = (line, column)
      continue
    }
    sql.append(c)
    if c == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
  }
  return (sql, found!.0, found!.1)
}

@Suite struct ParserTests {
  let engine = QueryEngine(provider: TestData.provider(500))

  func error(_ sql: String) -> QueryError? {
    do {
      _ = try engine.execute(sql, now: TestData.day)
      return nil
    } catch {
      return error
    }
  }

  @Test func parsesAllClauses() throws {
    let s = try Parser.parse(
      """
      select DST_PORT as p, Sum(bytes) b -- comment
      FROM flows WHERE time >= now() - 1h AND src_addr = '10.0.0.0/8'
      GROUP BY 1 COMPARE WITH 1d AGO HAVING b > 10 ORDER BY b DESC, p LIMIT 5;
      """)
    guard case .select(let q) = s else {
      Issue.record("not a select")
      return
    }
    #expect(q.items.count == 2)
    #expect(q.groupBy.count == 1)
    #expect(q.compareWith?.kind == .duration(86_400_000, text: "1d"))
    #expect(q.orderBy.map(\.descending) == [true, false])
    #expect(q.limit == 5)
    #expect(try Parser.parse("show tables") == .showTables)
    #expect(
      try Parser.parse("DESCRIBE flows;")
        == .describe(table: "flows", at: SourceLocation(offset: 9, line: 1, column: 10)))
  }

  @Test func precedence() throws {
    guard
      case .select(let q) = try Parser.parse(
        "SELECT 1 + 2 * 3 - -4 FROM flows WHERE NOT a = 1 OR b AND c"),
      case .expr(let e, _) = q.items[0]
    else { return }
    #expect(e.text == "1 + 2 * 3 - -4")
    guard case .binary(.or, let l, _) = q.whereClause!.kind else {
      Issue.record("OR must bind loosest")
      return
    }
    guard case .unary(.not, _) = l.kind else {
      Issue.record("NOT binds looser than =")
      return
    }
  }

  @Test(arguments: [
    (
      "SELECT dst_port FROM flows WHERE ⏏",
      "syntax error: expected an expression, found end of input"
    ),
    (
      "SELECT dst_port FROM flows WHERE dst_port = 1 ⏏WHERE",
      "syntax error: expected end of statement"
    ),
    ("SELECT ⏏FROM flows", "syntax error: expected an expression, found keyword FROM"),
    (
      "SELECT dst_port\nFROM flows\nWHERE src_addr = ⏏'10.0.0.300'",
      "malformed address literal '10.0.0.300'"
    ),
    ("SELECT ⏏dst_prot FROM flows", "unknown column 'dst_prot' (did you mean 'dst_port'?)"),
    ("SELECT count(*) FROM ⏏flow", "unknown table 'flow' (did you mean 'flows'?)"),
    ("SELECT ⏏sume(bytes) FROM flows", "unknown function 'sume' (did you mean 'sum'?)"),
    ("SELECT * FROM flows WHERE src_addr ⏏= 5", "type mismatch: cannot compare ip with int"),
    (
      "SELECT * FROM flows WHERE time > ⏏'yesterday'",
      "malformed timestamp (ISO 8601) literal 'yesterday'"
    ),
    (
      "SELECT * FROM flows WHERE time > ⏏'2026-13-01'",
      "malformed timestamp (ISO 8601) literal '2026-13-01'"
    ),
    (
      "SELECT * FROM flows WHERE dst_addr IN ('10.0.0.0/8', ⏏'10.0.0.0/33')",
      "malformed CIDR literal '10.0.0.0/33'"
    ),
    (
      "SELECT * FROM flows WHERE src_addr = ⏏10.0.0.1",
      "malformed number (quote addresses: '10.0.0.1') literal '10.0.0.1'"
    ),
    (
      "SELECT * FROM flows WHERE end_time - time > ⏏5x", "malformed number or duration literal '5x'"
    ),
    ("SELECT * FROM flows WHERE app = ⏏'abc", "syntax error: unterminated string"),
    ("SELECT * FROM flows WHERE app ⏏# 1", "syntax error: unexpected character '#'"),
    (
      "SELECT dst_port, sum(bytes) FROM flows\n  WHERE dst_port = 1\n  GROUP BY dst_port ⏏COMPARE WITH 1d AGO",
      "COMPARE WITH needs WHERE to bound time"
    ),
    (
      "SELECT ⏏src_addr, count(*) FROM flows GROUP BY dst_port",
      "column 'src_addr' must appear in GROUP BY"
    ),
    ("SELECT count(*) FROM flows WHERE ⏏sum(bytes) > 1", "aggregate sum() is not allowed in WHERE"),
    ("SELECT * FROM flows WHERE ⏏bytes", "type mismatch: WHERE needs a boolean condition, not int"),
    (
      "SELECT ⏏time_bucket(bytes, time) FROM flows",
      "type mismatch: argument 1 of time_bucket() must be duration"
    ),
    ("SELECT bytes FROM flows ORDER BY ⏏4", "ORDER BY position 4 is not in the select list"),
    ("SELECT src_addr ⏏+ 1 FROM flows", "type mismatch: cannot apply + to ip and int"),
    (
      "SELECT * FROM flows WHERE src_addr ⏏< '10.0.0.0/8'",
      "type mismatch: a CIDR block can only be compared with = or !="
    ),
    ("SELECT dst_port FROM flows LIMIT ⏏ten", "syntax error: expected a row count after LIMIT"),
  ])
  func errorsPointAtTheSpot(_ input: String, _ message: String) {
    let (sql, line, column) = marked(input)
    guard let e = error(sql) else {
      Issue.record("no error for \(sql)")
      return
    }
    #expect(e.message.hasPrefix(message), "\(e.message)")
    #expect(e.location?.line == line && e.location?.column == column, "\(e) for \(sql)")
  }

  @Test func caretRendering() {
    let sql = "SELECT dst_port\nFROM flows\nWHERE src_addr = '10.0.0.300'"
    let text = error(sql)!.render(source: sql)
    #expect(
      text == """
        error at line 3, column 18: malformed address literal '10.0.0.300'
          WHERE src_addr = '10.0.0.300'
                           ^
        """)
  }

  @Test func durationsAndTimestamps() {
    #expect(Duration.parse("30s") == 30_000)
    #expect(Duration.parse("5m") == 300_000)
    #expect(Duration.parse("7d") == 604_800_000)
    #expect(Duration.parse("250ms") == 250)
    #expect(Duration.parse("5") == nil)
    #expect(ISO8601.parse("2026-11-28") == TestData.day)
    #expect(ISO8601.parse("2026-11-28T01:00:00Z") == TestData.day + 3_600_000)
    #expect(ISO8601.parse("2026-11-28T01:00:00.5+01:00") == TestData.day + 500)
    #expect(ISO8601.parse("2026-02-29") == nil)
    #expect(ISO8601.parse("2026-11-28T24:00") == nil)
    #expect(formatTimestamp(TestData.day + 3_723_045) == "2026-11-28T01:02:03.045Z")
    #expect(CIDR("10.0.0.0/8")!.contains(IPAddress("10.255.1.1")!))
    #expect(!CIDR("10.0.0.0/8")!.contains(IPAddress("11.0.0.1")!))
    #expect(CIDR("2001:db8::/32")!.contains(IPAddress("2001:db8:1::5")!))
    #expect(CIDR("10.0.0.0/33") == nil)
  }

  /// Random token soup and mutations of valid queries: every input either runs or throws a
  /// QueryError; nothing crashes.
  @Test func noInputCrashes() {
    var rng = SplitMix(seed: 5)
    let pieces = [
      "SELECT", "FROM", "flows", "WHERE", "GROUP", "BY", "(", ")", ",", "*", "+", "-", "/", "%",
      "=", "<", ">=", "!=", "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL", "'x'",
      "'10.0.0.0/8'", "1", "0", "1.5", "5m", "count", "sum", "time", "bytes", "src_addr",
      "COMPARE", "WITH", "AGO", "HAVING", "ORDER", "LIMIT", "DESC", "EXPLAIN", "time_bucket",
      "'2026-11-28'", "\"", "'", ";", "--", "\n", "é", "⏏", "9999999999999999999999", "DISTINCT",
      "quantile", "0.5", "1d", "now", "()", "is_new",
    ]
    let base = ReferenceTests.predicates.map { "SELECT count(*) FROM flows WHERE \($0)" }
    for k in 0..<3000 {
      var sql: String
      if k % 2 == 0 {
        sql = (0..<Int.random(in: 1...14, using: &rng)).map { _ in
          pieces.randomElement(using: &rng)!
        }
        .joined(separator: " ")
      } else {
        var chars = Array(base.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
          let i = Int.random(in: 0..<chars.count, using: &rng)
          if Bool.random(using: &rng) {
            chars.remove(at: i)
          } else {
            chars.insert(Array("'(),*-.0/;aZ%_")[Int.random(in: 0..<14, using: &rng)], at: i)
          }
        }
        sql = String(chars)
      }
      _ = error(sql)
    }
  }
}
