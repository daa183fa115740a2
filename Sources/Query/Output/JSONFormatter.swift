/// JSON lines: one object per row, keys in column order; numbers and booleans as JSON values,
/// timestamps, durations and addresses as strings, NULL as null.
public enum JSONFormatter {
  /// One line per row, each ending in a newline.
  public static func format(_ r: QueryResult) -> String {
    var out = ""
    for row in r.rows {
      out += "{"
      for (i, (c, v)) in zip(r.columns, row).enumerated() {
        if i > 0 { out += "," }
        out += quote(c.name) + ":" + json(v)
      }
      out += "}\n"
    }
    return out
  }

  static func json(_ v: Value) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let f): return f.isFinite ? String(f) : "null"
    default: return quote(v.description)
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let h = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
