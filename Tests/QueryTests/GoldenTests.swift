import Foundation
import Storage
import Testing

@testable import Query

/// Golden queries: each Golden/NAME.sql holds a FlowQL query and an equivalent DuckDB query;
/// NAME.expected.csv is DuckDB's answer over Golden/flows.csv (see make_expected.py). FlowQL's
/// CSV output over the same rows must match it (floats to 1e-9 relative).
@Suite struct GoldenTests {
  static let directory: String = {
    var p = #filePath
    p = String(p[..<p.lastIndex(of: "/")!])
    return p + "/Golden"
  }()

  static func load() throws -> ColumnBatch {
    let text = try String(contentsOfFile: directory + "/flows.csv", encoding: .utf8)
    var lines = text.split(separator: "\n")
    lines.removeFirst()
    var time: [Int64] = []
    var src: [IPAddress] = []
    var dst: [IPAddress] = []
    var sport: [UInt16] = []
    var dport: [UInt16] = []
    var proto: [UInt8] = []
    var bytes: [UInt64] = []
    var packets: [UInt64] = []
    var rev: [UInt64] = []
    var revValid = Bitmap(count: 0, value: false)
    var app: [String] = []
    var appValid = Bitmap(count: 0, value: false)
    for line in lines {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      time.append(ISO8601.parse(f[0])!)
      src.append(IPAddress(f[1])!)
      dst.append(IPAddress(f[2])!)
      sport.append(UInt16(f[3])!)
      dport.append(UInt16(f[4])!)
      proto.append(UInt8(f[5])!)
      bytes.append(UInt64(f[6])!)
      packets.append(UInt64(f[7])!)
      rev.append(UInt64(f[8]) ?? 0)
      revValid.append(!f[8].isEmpty)
      app.append(f[9])
      appValid.append(!f[9].isEmpty)
    }
    return try ColumnBatch(
      schema: FlowSchema.flows, rowCount: time.count,
      columns: [
        "time": ColumnVector(.timestamp(time)), "src_addr": ColumnVector(.ip(src)),
        "dst_addr": ColumnVector(.ip(dst)), "src_port": ColumnVector(.uint16(sport)),
        "dst_port": ColumnVector(.uint16(dport)), "proto": ColumnVector(.uint8(proto)),
        "bytes": ColumnVector(.uint64(bytes)), "packets": ColumnVector(.uint64(packets)),
        "rev_bytes": ColumnVector(.uint64(rev), validity: revValid),
        "app": ColumnVector(.string(app), validity: appValid),
      ])
  }

  static func names() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory)
      .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
  }

  /// The golden queries, read once (an empty list fails ``thereAreGoldenQueries()``).
  static let all: [String] = (try? names()) ?? []

  @Test func thereAreGoldenQueries() {
    #expect(Self.all.count >= 8)
  }

  /// One case per golden query, so that a failure names its query.
  @Test(arguments: Self.all)
  func goldenQueryMatchesDuckDB(_ name: String) throws {
    let engine = QueryEngine(provider: MemoryTableProvider(batch: try Self.load(), unitRows: 500))
    do {
      let text = try String(contentsOfFile: "\(Self.directory)/\(name).sql", encoding: .utf8)
      let sql = String(text.components(separatedBy: "-- duckdb")[0].dropFirst("-- flowql".count))
      let expected = try String(
        contentsOfFile: "\(Self.directory)/\(name).expected.csv", encoding: .utf8)
      // The expected files end rows in "\r\n" (Python's csv module); ours end in "\n".
      let got = CSVFormatter.format(try engine.execute(sql))
      let e = expected.split(whereSeparator: \.isNewline).map {
        $0.split(separator: ",", omittingEmptySubsequences: false)
      }
      let g = got.split(whereSeparator: \.isNewline).map {
        $0.split(separator: ",", omittingEmptySubsequences: false)
      }
      #expect(e.count == g.count, "\(name): \(g.count) rows, DuckDB \(e.count)\n\(got)")
      for (er, gr) in zip(e, g) {
        let same =
          er.count == gr.count
          && zip(er, gr).allSatisfy { a, b in
            if a == b { return true }
            guard let x = Double(a), let y = Double(b) else { return false }
            return abs(x - y) <= 1e-9 * max(1, abs(x))
          }
        #expect(
          same, "\(name): got \(gr.joined(separator: ",")) expected \(er.joined(separator: ","))")
      }
    }
  }
}
