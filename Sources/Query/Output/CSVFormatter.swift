/// CSV: a header row, fields quoted when they hold a comma, quote or line break (RFC 4180), NULL
/// as an empty field. Rows end in `\n`, as DuckDB's, `psql --csv`'s and nfdump's do, so that
/// shell tools see clean lines; `crlf` ends them in `\r\n`, as RFC 4180 asks.
public enum CSVFormatter {
  /// The whole CSV document, rows ended by `\n`, or by `\r\n` when `crlf` is set.
  public static func format(_ r: QueryResult, crlf: Bool = false) -> String {
    let end = crlf ? "\r\n" : "\n"
    var out = r.columns.map { field($0.name) }.joined(separator: ",") + end
    for row in r.rows {
      out += row.map { field(ValueText.text($0, null: "")) }.joined(separator: ",") + end
    }
    return out
  }

  static func field(_ s: String) -> String {
    // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
    if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }
}
