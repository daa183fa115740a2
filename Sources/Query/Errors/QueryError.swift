import Storage

/// Everything a query can fail with. Errors tied to a spot in the text carry its location and
/// render with a caret under it (see ``render(source:)``); this is the one place errors become
/// text.
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text does not follow the grammar.
  case syntax(String, at: SourceLocation)
  /// A literal that cannot be read as what its context needs (timestamp, address, number...).
  case malformedLiteral(String, expected: String, at: SourceLocation)
  /// A column name the table does not have, with the closest name when there is one.
  case unknownColumn(String, suggestion: String?, at: SourceLocation)
  /// A table the store does not have.
  case unknownTable(String, suggestion: String?, at: SourceLocation)
  /// A function name that does not exist.
  case unknownFunction(String, suggestion: String?, at: SourceLocation)
  /// Operand or argument types that do not fit.
  case typeMismatch(String, at: SourceLocation)
  /// `COMPARE WITH` without a lower bound on `time` in WHERE.
  case unboundedCompare(at: SourceLocation)
  /// Any other semantic error (aggregate misuse, bad ordinal...).
  case invalid(String, at: SourceLocation)
  /// The storage layer failed while the query ran.
  case storage(StorageError)
  /// The query was cancelled (Ctrl-C).
  case cancelled
  /// The table provider failed with an error that is not a ``StorageError``.
  case provider(String)
  /// The query's group table outgrew the memory limit (bytes) after `groups` groups.
  case memoryLimit(Int, groups: Int)

  /// The location the error points at, when it has one.
  public var location: SourceLocation? {
    switch self {
    case .syntax(_, let l), .malformedLiteral(_, _, let l), .unknownColumn(_, _, let l),
      .unknownTable(_, _, let l), .unknownFunction(_, _, let l), .typeMismatch(_, let l),
      .unboundedCompare(let l), .invalid(_, let l):
      return l
    case .storage, .cancelled, .provider, .memoryLimit:
      return nil
    }
  }

  /// The one-line message, without position.
  public var message: String {
    func hint(_ s: String?) -> String { s.map { " (did you mean '\($0)'?)" } ?? "" }
    switch self {
    case .syntax(let m, _): return "syntax error: \(m)"
    case .malformedLiteral(let text, let expected, _):
      return "malformed \(expected) literal '\(text)'"
    case .unknownColumn(let n, let s, _): return "unknown column '\(n)'\(hint(s))"
    case .unknownTable(let n, let s, _): return "unknown table '\(n)'\(hint(s))"
    case .unknownFunction(let n, let s, _): return "unknown function '\(n)'\(hint(s))"
    case .typeMismatch(let m, _): return "type mismatch: \(m)"
    case .unboundedCompare:
      return
        "COMPARE WITH needs WHERE to bound time from below, e.g. WHERE time >= now() - 1h"
    case .invalid(let m, _): return m
    case .storage(let e): return "storage error: \(e)"
    case .cancelled: return "query cancelled"
    case .provider(let m): return "store error: \(m)"
    case .memoryLimit(let limit, let groups):
      return
        "query stopped: its groups need more than the memory limit of \(byteSize(limit)) "
        + "(\(groups) groups so far); narrow the time range or the keys, or raise --memory-limit"
    }
  }

  /// `line:column: message`.
  public var description: String {
    if let l = location { return "\(l): \(message)" }
    return message
  }

  /// The message followed by the offending source line and a caret under the spot.
  public func render(source: String) -> String {
    guard let loc = location else { return "error: \(message)" }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    var out = "error at line \(loc.line), column \(loc.column): \(message)"
    if loc.line - 1 < lines.count {
      let text = lines[loc.line - 1].replacingTabs()
      out += "\n  " + text + "\n  " + String(repeating: " ", count: max(0, loc.column - 1)) + "^"
    }
    return out
  }
}

extension Substring {
  fileprivate func replacingTabs() -> String {
    String(self.map { $0 == "\t" ? " " : $0 })
  }
}

/// `n` bytes in the largest binary unit that keeps a whole number (`64 KiB`, `12 GiB`).
func byteSize(_ n: Int) -> String {
  for (unit, size) in [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
  where n >= size {
    let v = Double(n) / Double(size)
    return v == v.rounded() ? "\(Int(v)) \(unit)" : String(format1(v)) + " " + unit
  }
  return "\(n) bytes"
}

private func format1(_ v: Double) -> String {
  let t = (v * 10).rounded() / 10
  return t == t.rounded() ? String(Int(t)) : String(t)
}

/// The closest candidate to `name` by edit distance, when close enough to be a plausible typo.
func closestName(to name: String, in candidates: [String]) -> String? {
  let target = Array(name.lowercased())
  var best: (String, Int)?
  for c in candidates {
    let d = editDistance(target, Array(c.lowercased()))
    if d <= max(2, target.count / 3), best == nil || d < best!.1 { best = (c, d) }
  }
  if best == nil {
    // A prefix or containment match ("port" -> "dst_port").
    best = candidates.first { $0.contains(name.lowercased()) }.map { ($0, 0) }
  }
  return best?.0
}

private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var prev = Array(0...b.count)
  var cur = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    cur[0] = i
    for j in 1...b.count {
      cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&prev, &cur)
  }
  return prev[b.count]
}
