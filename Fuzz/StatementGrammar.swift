// Derives FlowQL statements from grammar/flowql.ebnf, each choice taken from the next input byte
// (zero once the bytes run out), so that libFuzzer's mutations of the bytes move between
// well-formed statements (and, through the "noise" choices, near-misses of them).

/// A statement derivation driven by bytes: `statement()` follows the grammar's rules, one byte
/// per choice, with recursion bounded by depth so every input gives a finite statement.
struct StatementGrammar {
  private let choices: UnsafeBufferPointer<UInt8>
  private var next = 0
  private var out = ""

  init(choices: UnsafeBufferPointer<UInt8>) { self.choices = choices }

  private static let columns = [
    "time", "end_time", "exporter", "domain", "src_addr", "dst_addr", "src_port", "dst_port",
    "proto", "tcp_flags", "tos", "bytes", "packets", "rev_bytes", "in_if", "vlan", "app",
    "http_host", "http_status", "dns_query", "nosuch", "\"dst_port\"", "\"a\"\"b\"",
  ]
  private static let functions = [
    "time_bucket", "lower", "upper", "length", "is_private", "is_ipv4", "is_ipv6", "network",
    "coalesce", "abs", "round", "hour", "minute", "day", "month", "year", "weekday", "epoch_ms",
    "now", "count", "approx_count_distinct", "sum", "avg", "min", "max", "quantile", "nosuch",
  ]
  private static let literals = [
    "0", "1", "-1", "22", "443", "65536", "9223372036854775807", "18446744073709551616", "1.5",
    ".5", "1e3", "2.5E-3", "1e400", "30s", "5m", "1h", "7d", "1w", "0ms", "'10.0.0.0/8'",
    "'10.0.0.1'", "'::1'", "'2001:db8::/32'", "'2026-11-28'", "'2026-11-28T10:15:30.250Z'",
    "'2026-11-28 10:15:30+02:00'", "'http'", "'%tt%'", "'it''s'", "''", "TRUE", "FALSE", "NULL",
    "'999.1.1.1'", "'2026-13-40'",
  ]
  private static let comparisons = ["=", "!=", "<>", "<", "<=", ">", ">="]
  private static let noise = [
    "(", ")", ",", ";", "*", "'", "\"", "--", "\n", "SELECT", "FROM", "AS", "é", "\u{0}",
  ]

  private mutating func byte() -> Int {
    guard next < choices.count else { return 0 }
    defer { next += 1 }
    return Int(choices[next])
  }

  private mutating func pick(_ n: Int) -> Int { byte() % n }
  private mutating func chance(_ inEight: Int) -> Bool { pick(8) < inEight }
  private mutating func emit(_ s: String) {
    if !out.isEmpty, out.last != "(", s != ")", s != "," { out += " " }
    out += s
  }
  private mutating func one(_ words: [String]) { emit(words[pick(words.count)]) }

  /// One statement (`statement` rule).
  mutating func statement() -> String {
    switch pick(16) {
    case 0: emit("SHOW TABLES")
    case 1:
      emit(chance(4) ? "DESCRIBE" : "DESC")
      emit(chance(6) ? "flows" : "nosuch")
    case 2:
      emit("EXPLAIN")
      select()
    default: select()
    }
    if chance(2) { emit(";") }
    if chance(1) { one(Self.noise) }
    return out
  }

  private mutating func select() {
    emit("SELECT")
    list(max: 4) { g in
      if g.chance(1) {
        g.emit("*")
      } else {
        g.expression(3)
        if g.chance(3) {
          if g.chance(4) { g.emit("AS") }
          g.emit(["a", "n", "bytes", "\"total bytes\""][g.pick(4)])
        }
      }
    }
    emit("FROM")
    emit(chance(7) ? "flows" : "flow")
    if chance(5) {
      emit("WHERE")
      expression(3)
    }
    if chance(4) {
      emit("GROUP BY")
      list(max: 3) { g in g.chance(3) ? g.emit(String(1 + g.pick(3))) : g.expression(2) }
    }
    if chance(1) {
      emit("COMPARE WITH")
      additive(1)
      emit("AGO")
    }
    if chance(2) {
      emit("HAVING")
      expression(2)
    }
    if chance(3) {
      emit("ORDER BY")
      list(max: 3) { g in
        g.chance(3) ? g.emit(String(1 + g.pick(3))) : g.expression(2)
        if g.chance(4) { g.emit(g.chance(4) ? "ASC" : "DESC") }
      }
    }
    if chance(3) {
      emit("LIMIT")
      emit(["0", "1", "3", "100", "-1", "99999999999999999999"][pick(6)])
    }
  }

  private mutating func list(max: Int, _ item: (inout StatementGrammar) -> Void) {
    let n = 1 + pick(max)
    for i in 0..<n {
      if i > 0 { emit(",") }
      item(&self)
    }
  }

  private mutating func expression(_ depth: Int) {
    let n = depth > 0 ? pick(3) : 0
    for i in 0...n {
      if i > 0 { emit(chance(4) ? "AND" : "OR") }
      if depth > 0 && chance(1) { emit("NOT") }
      predicate(depth)
    }
  }

  private mutating func predicate(_ depth: Int) {
    additive(depth)
    switch pick(12) {
    case 0, 1, 2:
      one(Self.comparisons)
      additive(depth)
    case 3: emit(chance(4) ? "IS NULL" : "IS NOT NULL")
    case 4:
      if chance(2) { emit("NOT") }
      emit("IN (")
      list(max: 3) { g in g.additive(0) }
      emit(")")
    case 5:
      if chance(2) { emit("NOT") }
      emit("BETWEEN")
      additive(depth - 1)
      emit("AND")
      additive(depth - 1)
    case 6:
      if chance(2) { emit("NOT") }
      emit("LIKE")
      additive(0)
    default: break
    }
  }

  private mutating func additive(_ depth: Int) {
    let n = depth > 0 ? pick(3) : 0
    for i in 0...n {
      if i > 0 { one(["+", "-", "*", "/", "%"]) }
      unary(depth)
    }
  }

  private mutating func unary(_ depth: Int) {
    if chance(1) { emit(chance(4) ? "-" : "+") }
    switch depth > 0 ? pick(8) : pick(3) {
    case 0: one(Self.literals)
    case 1, 2: one(Self.columns)
    case 3, 4, 5: call(depth - 1)
    case 6:
      emit("(")
      expression(depth - 1)
      emit(")")
    default: one(Self.noise)
    }
  }

  private mutating func call(_ depth: Int) {
    one(Self.functions)
    emit("(")
    switch pick(6) {
    case 0: emit("*")
    case 1: break
    default:
      if chance(1) { emit("DISTINCT") }
      list(max: 3) { g in g.additive(max(0, depth)) }
    }
    emit(")")
  }
}
