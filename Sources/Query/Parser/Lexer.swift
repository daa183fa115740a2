/// A hand-written cursor over UTF-8 query text that produces ``Token``s with their locations.
///
/// `--` starts a comment to the end of the line. Errors (unterminated string, stray character,
/// malformed number) are thrown as ``QueryError/syntax(_:at:)`` or
/// ``QueryError/malformedLiteral(_:expected:at:)``.
public struct Lexer: Sendable {
  private let bytes: [UInt8]
  private var offset = 0
  private var line = 1
  private var column = 1

  /// Creates a lexer over `text`.
  public init(_ text: String) { bytes = Array(text.utf8) }

  /// Lexes the whole text, ending with one `.end` token.
  public static func tokenize(_ text: String) throws(QueryError) -> [Token] {
    var lexer = Lexer(text)
    var out: [Token] = []
    while true {
      let t = try lexer.next()
      out.append(t)
      if t.kind == .end { return out }
    }
  }

  private var location: SourceLocation {
    SourceLocation(offset: offset, line: line, column: column)
  }

  private func peek(_ ahead: Int = 0) -> UInt8? {
    offset + ahead < bytes.count ? bytes[offset + ahead] : nil
  }

  private mutating func advance() {
    let b = bytes[offset]
    offset += 1
    if b == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if b & 0xC0 != 0x80 {
      column += 1
    }
  }

  private mutating func skipTrivia() {
    while let b = peek() {
      if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
        advance()
      } else if b == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
        while let c = peek(), c != 0x0A { advance() }
      } else {
        return
      }
    }
  }

  private static func isIdentStart(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_")
  }
  private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  private static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }

  private func text(_ start: Int) -> String {
    String(decoding: bytes[start..<offset], as: UTF8.self)
  }

  /// The next token.
  public mutating func next() throws(QueryError) -> Token {
    skipTrivia()
    let start = location
    guard let b = peek() else { return Token(kind: .end, text: "", location: start) }
    if Lexer.isIdentStart(b) {
      while let c = peek(), Lexer.isIdentPart(c) { advance() }
      return Token(kind: .identifier, text: text(start.offset), location: start)
    }
    if Lexer.isDigit(b) || (b == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
      return try number(start)
    }
    if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
      return try quoted(start, quote: b)
    }
    let two: [String] = ["!=", "<>", "<=", ">=", "||"]
    if let c = peek(1) {
      let pair = String(decoding: [b, c], as: UTF8.self)
      if two.contains(pair) {
        advance()
        advance()
        return Token(kind: .symbol, text: pair == "<>" ? "!=" : pair, location: start)
      }
    }
    if "+-*/%=<>(),;.".utf8.contains(b) {
      advance()
      return Token(kind: .symbol, text: String(UnicodeScalar(b)), location: start)
    }
    // A stray character: report it whole (it may be multi-byte).
    advance()
    while let c = peek(), c & 0xC0 == 0x80 { advance() }
    throw .syntax("unexpected character '\(text(start.offset))'", at: start)
  }

  private mutating func number(_ start: SourceLocation) throws(QueryError) -> Token {
    var isDecimal = false
    while let c = peek(), Lexer.isDigit(c) { advance() }
    if peek() == UInt8(ascii: "."), let d = peek(1), Lexer.isDigit(d) {
      isDecimal = true
      advance()
      while let c = peek(), Lexer.isDigit(c) { advance() }
    }
    if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E"),
      let d = peek(1),
      Lexer.isDigit(d)
        || ((d == UInt8(ascii: "-") || d == UInt8(ascii: "+"))
          && peek(2).map(Lexer.isDigit) == true)
    {
      isDecimal = true
      advance()
      advance()
      while let c = peek(), Lexer.isDigit(c) { advance() }
    }
    let digitsEnd = offset
    if let c = peek(), Lexer.isIdentStart(c) {
      while let c = peek(), Lexer.isIdentPart(c) { advance() }
      let whole = text(start.offset)
      let unit = String(decoding: bytes[digitsEnd..<offset], as: UTF8.self).lowercased()
      guard !isDecimal, Duration.unitMilliseconds(unit) != nil else {
        throw .malformedLiteral(whole, expected: "number or duration", at: start)
      }
      return Token(kind: .duration, text: whole, location: start)
    }
    // "10.0.0.1" written without quotes: a common mistake, name it.
    if peek() == UInt8(ascii: "."), let d = peek(1), Lexer.isDigit(d) {
      while let c = peek(), Lexer.isDigit(c) || c == UInt8(ascii: ".") { advance() }
      throw .malformedLiteral(
        text(start.offset), expected: "number (quote addresses: '10.0.0.1')", at: start)
    }
    return Token(kind: isDecimal ? .decimal : .integer, text: text(start.offset), location: start)
  }

  private mutating func quoted(_ start: SourceLocation, quote: UInt8) throws(QueryError) -> Token {
    advance()
    var content: [UInt8] = []
    while true {
      guard let c = peek() else {
        throw .syntax(
          quote == UInt8(ascii: "'") ? "unterminated string" : "unterminated quoted name",
          at: start)
      }
      advance()
      if c == quote {
        if peek() == quote {
          advance()
          content.append(quote)
          continue
        }
        break
      }
      content.append(c)
    }
    let s = String(decoding: content, as: UTF8.self)
    return Token(
      kind: quote == UInt8(ascii: "'") ? .string : .quotedIdentifier, text: s, location: start)
  }
}

/// Duration literal units and their length.
enum Duration {
  /// Milliseconds per unit, for the units FlowQL accepts.
  static func unitMilliseconds(_ unit: String) -> Int64? {
    switch unit {
    case "ms": 1
    case "s": 1000
    case "m": 60_000
    case "h": 3_600_000
    case "d": 86_400_000
    case "w": 7 * 86_400_000
    default: nil
    }
  }

  /// The milliseconds of a duration literal such as `5m`, or nil when malformed or too large.
  static func parse(_ text: String) -> Int64? {
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, let n = Int64(digits),
      let unit = unitMilliseconds(String(text.dropFirst(digits.count)).lowercased())
    else { return nil }
    let (v, overflow) = n.multipliedReportingOverflow(by: unit)
    return overflow ? nil : v
  }
}
