import Foundation

/// Human-readable figures for command output.
enum Format {
  /// `1234567` → `1,234,567`.
  static func count(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, c) in s.enumerated() {
      if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// Bytes with a binary unit.
  static func bytes(_ n: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(n)
    var u = 0
    while v >= 1024 && u < units.count - 1 {
      v /= 1024
      u += 1
    }
    return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
  }

  /// A duration in ms as `30d`, `12h`, `5m`, `10s` or `250ms`.
  static func duration(_ ms: Int64) -> String {
    for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
    where ms % size == 0 && ms >= size {
      return "\(ms / size)\(unit)"
    }
    return "\(ms)ms"
  }

  /// Parses `30d`, `12h`, `90m`, `45s`, `500ms` into ms.
  static func parseDuration(_ text: String) -> Int64? {
    let units: [(String, Int64)] = [
      ("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
      ("w", 604_800_000),
    ]
    for (suffix, size) in units where text.hasSuffix(suffix) {
      guard let n = Int64(text.dropLast(suffix.count)), n > 0 else { return nil }
      return n * size
    }
    return nil
  }
}
