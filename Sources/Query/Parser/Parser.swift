/// A recursive-descent parser for FlowQL. The grammar is `grammar/flowql.ebnf`; each grammar
/// area has its own file (`Parser+Statement.swift`, `Parser+Expression.swift`).
public struct Parser: Sendable {
  var tokens: [Token]
  var position = 0

  /// Words that cannot be used as bare column names or aliases.
  static let reserved: Set<String> = [
    "select", "from", "where", "group", "by", "having", "order", "limit", "compare", "with",
    "ago", "and", "or", "not", "in", "between", "like", "is", "null", "true", "false", "as",
    "asc", "desc", "explain", "show", "describe", "distinct",
  ]

  /// Creates a parser over `text` (lexing it completely first).
  public init(_ text: String) throws(QueryError) {
    tokens = try Lexer.tokenize(text)
  }

  /// Parses one statement (an optional trailing `;` is allowed).
  public static func parse(_ text: String) throws(QueryError) -> Statement {
    var p = try Parser(text)
    return try p.parseStatement()
  }

  var current: Token { tokens[position] }

  func peek(_ n: Int = 1) -> Token { tokens[min(position + n, tokens.count - 1)] }

  mutating func advance() -> Token {
    let t = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return t
  }

  /// Consumes the keyword when present.
  mutating func accept(keyword: String) -> Bool {
    if current.isKeyword(keyword) {
      _ = advance()
      return true
    }
    return false
  }

  /// Consumes the symbol when present.
  mutating func accept(symbol: String) -> Bool {
    if current.isSymbol(symbol) {
      _ = advance()
      return true
    }
    return false
  }

  mutating func expect(keyword: String) throws(QueryError) {
    guard accept(keyword: keyword) else { throw unexpected("\(keyword.uppercased())") }
  }

  mutating func expect(symbol: String) throws(QueryError) {
    guard accept(symbol: symbol) else { throw unexpected("'\(symbol)'") }
  }

  /// A syntax error at the current token saying what was expected.
  func unexpected(_ expected: String) -> QueryError {
    let t = current
    let found: String
    switch t.kind {
    case .end: found = "end of input"
    case .string: found = "string '\(t.text)'"
    case .identifier where Parser.reserved.contains(t.text.lowercased()):
      found = "keyword \(t.text.uppercased())"
    default: found = "'\(t.text)'"
    }
    return .syntax("expected \(expected), found \(found)", at: t.location)
  }

  /// A name: an identifier that is not reserved, or a quoted identifier.
  mutating func parseName(_ what: String) throws(QueryError) -> (String, SourceLocation) {
    let t = current
    if t.kind == .quotedIdentifier
      || (t.kind == .identifier && !Parser.reserved.contains(t.text.lowercased()))
    {
      _ = advance()
      return (t.kind == .identifier ? t.text.lowercased() : t.text, t.location)
    }
    throw unexpected(what)
  }
}
