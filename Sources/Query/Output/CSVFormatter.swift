/// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or
/// line break; NULL is an empty field.
public enum CSVFormatter {
  /// The whole CSV document.
  public static func format(_ r: QueryResult) -> String {
    var out = r.columns.map { field($0.name) }.joined(separator: ",") + "\r\n"
    for row in r.rows {
      out += row.map { field(ValueText.text($0, null: "")) }.joined(separator: ",") + "\r\n"
    }
    return out
  }

  static func field(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }
}
