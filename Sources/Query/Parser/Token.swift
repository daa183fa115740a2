/// One lexical token of FlowQL text.
public struct Token: Sendable, Equatable {
  /// What kind of token this is.
  public enum Kind: Sendable, Equatable {
    /// A name or keyword (keywords are recognised by the parser, case-insensitively).
    case identifier
    /// A double-quoted identifier (never a keyword).
    case quotedIdentifier
    /// An integer literal.
    case integer
    /// A decimal literal (`1.5`, `2e3`).
    case decimal
    /// A duration literal (`30s`, `5m`, `1h`, `7d`, `250ms`, `2w`).
    case duration
    /// A single-quoted string literal (text holds the unescaped content).
    case string
    /// An operator or punctuation (`+ - * / % = != <> < <= > >= ( ) , ; .`).
    case symbol
    /// The end of the input.
    case end
  }

  /// The kind.
  public var kind: Kind
  /// The token text (unescaped content for strings and quoted identifiers).
  public var text: String
  /// Where the token starts.
  public var location: SourceLocation

  /// True when this is the identifier `keyword`, compared case-insensitively.
  public func isKeyword(_ keyword: String) -> Bool {
    kind == .identifier && text.lowercased() == keyword
  }

  /// True when this is the symbol `s`.
  public func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
}
