import Foundation

/// What `flowstore exporters` and `flowstore info` print, read back as numbers.
struct Reports: Equatable {
  /// Per exporter: column name → value (`datagrams`, `records`, `templates`, `evicted`, …).
  var exporters: [String: [String: Int]] = [:]
  /// The collector line: `received`, `rejected`, `kernel`, `dropped`, `stored`, `lost`,
  /// `templates`, `limit hits`.
  var collector: [String: Int] = [:]
  /// Per table: `segments`, `rows`, `unsealed`, `bytes` (on disk, exact).
  var tables: [String: [String: Int]] = [:]
  /// Bytes of the write-ahead log (exact).
  var walBytes = -1

  /// Runs both commands on `data`.
  static func read(_ data: URL) throws -> Reports {
    let e = try flowstore(["exporters", "--data", data.path])
    let i = try flowstore(["info", "--data", data.path])
    guard e.status == 0, i.status == 0 else { throw TestFailure("\(e.err) \(i.err)") }
    var r = Reports()
    r.parseExporters(e.out)
    r.parseInfo(i.out)
    return r
  }

  private mutating func parseExporters(_ text: String) {
    let lines = text.split(separator: "\n")
    guard let header = lines.first?.split(separator: " ").map(String.init) else { return }
    for line in lines.dropFirst() {
      if line.hasPrefix("collector") {
        // "collector (last run, saved …): 1 datagrams received, 2 rejected by --allow, …"
        let body = line.components(separatedBy: "): ").last ?? ""
        for part in body.components(separatedBy: ", ") {
          let words = part.split(separator: " ")
          guard let n = words.first.flatMap(number) else { continue }
          let what = words.dropFirst().joined(separator: " ")
          let key =
            what.hasPrefix("datagrams received")
            ? "received"
            : what.hasPrefix("rejected")
              ? "rejected"
              : what.hasPrefix("dropped by the kernel")
                ? "kernel"
                : what.hasPrefix("dropped before")
                  ? "dropped"
                  : what.hasPrefix("flows stored")
                    ? "stored"
                    : what.hasPrefix("lost") ? "lost" : what
          collector[key] = n
        }
        continue
      }
      let cells = line.split(separator: " ").map(String.init)
      guard cells.count == header.count else { continue }
      var row: [String: Int] = [:]
      for (h, c) in zip(header, cells) { row[h] = number(c) }
      exporters[cells[0]] = row
    }
  }

  private mutating func parseInfo(_ text: String) {
    var table = ""
    for line in text.split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init)
      if line.hasPrefix("table ") {
        table = words[1]
        tables[table] = [:]
      } else if line.hasPrefix("write-ahead log") {
        walBytes = exactBytes(words) ?? -1
      } else if words.first == "segments" {
        tables[table]?["segments"] = number(words[1])
      } else if words.first == "rows" {
        tables[table]?["rows"] = number(words[1])
        tables[table]?["unsealed"] = number(words[2].dropFirst())
      } else if words.starts(with: ["bytes", "on", "disk"]) {
        tables[table]?["bytes"] = exactBytes(words)
      }
    }
  }
}

/// The exact count in `… (1,234 bytes…`.
private func exactBytes(_ words: [String]) -> Int? {
  guard let i = words.lastIndex(where: { $0.hasPrefix("bytes") }), i > 0,
    words[i - 1].hasPrefix("(")
  else { return nil }
  return number(words[i - 1].dropFirst())
}
