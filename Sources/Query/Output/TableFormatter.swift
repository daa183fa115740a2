/// Renders a result as an aligned text table (numbers right-aligned), with a row count footer.
public enum TableFormatter {
  /// The table text. At most `maxRows` rows are shown; a note says how many were left out.
  public static func format(_ r: QueryResult, maxRows: Int = Int.max) -> String {
    let shown = r.rows.prefix(maxRows)
    let cells = shown.map { $0.map { ValueText.text($0, null: "NULL") } }
    var widths = r.columns.map { $0.name.count }
    for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
    func pad(_ s: String, _ w: Int, right: Bool) -> String {
      let fill = String(repeating: " ", count: max(0, w - s.count))
      return right ? fill + s : s + fill
    }
    let numeric = r.columns.map { $0.type == .int || $0.type == .float }
    var out = r.columns.enumerated().map { pad($1.name, widths[$0], right: numeric[$0]) }
      .joined(separator: " | ")
    out += "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")
    for row in cells {
      out +=
        "\n"
        + row.enumerated().map { pad($1, widths[$0], right: numeric[$0]) }
        .joined(separator: " | ")
    }
    // No trailing padding after a left-aligned last column.
    out = out.split(separator: "\n", omittingEmptySubsequences: false)
      .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
      .joined(separator: "\n")
    let n = r.rows.count
    if n > shown.count {
      out += "\n(\(n) rows, first \(shown.count) shown; use LIMIT or \\format csv for all)"
    } else {
      out += "\n(\(n) row\(n == 1 ? "" : "s"))"
    }
    return out
  }
}
