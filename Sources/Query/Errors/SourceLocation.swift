/// A position in query text: a UTF-8 offset and the 1-based line and column (in characters).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// Byte offset into the UTF-8 text.
  public var offset: Int
  /// 1-based line number.
  public var line: Int
  /// 1-based column, counted in characters.
  public var column: Int

  /// Creates a location.
  public init(offset: Int, line: Int, column: Int) {
    self.offset = offset
    self.line = line
    self.column = column
  }

  /// The start of the text.
  public static let start = SourceLocation(offset: 0, line: 1, column: 1)

  /// `line:column`.
  public var description: String { "\(line):\(column)" }
}
