import Foundation
import Testing

/// `flowstore backup` as an operator runs it: while `serve` ingests from `flowstore generate`
/// and seals every second, copies are taken; each passes `verify`, answers queries, holds at
/// least the rows stored before it started, and every one of its rows (with its multiplicity)
/// is among the rows the live store ends with.
@Suite(.serialized)
struct BackupCommandTests {
  @Test(
    .enabled(if: flowstoreBinary != nil, "the flowstore binary is not built beside the tests"),
    .timeLimit(.minutes(3)))
  func backupWhileServeIngests() throws {
    let dir = try temporaryDirectory("backup")
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")
    let (serve, port) = try startServe(
      data: data, log: dir.appendingPathComponent("serve.log"), ["--seal-age", "1"])
    defer { serve.stop() }
    // 90,000 records over about 4.5 s, sealed every second or so while the copies are taken.
    let generator = try Background(
      flowstoreBinary!,
      [
        "generate", "--to", "127.0.0.1:\(port)", "--records", "90000", "--rate", "20000",
      ], log: dir.appendingPathComponent("generate.log"))
    usleep(1_000_000)
    var copies: [(URL, Int)] = []
    for i in 0..<3 {
      let before = try rows(data)
      let copy = dir.appendingPathComponent("copy\(i)")
      let r = try flowstore(["backup", "--data", data.path, "--to", copy.path])
      #expect(r.status == 0, "\(r.err)")
      #expect(r.out.contains("backup of \(data.path) in \(copy.path)"), "\(r.out)")
      copies.append((copy, before))
      usleep(700_000)
    }
    generator.process.waitUntilExit()
    #expect(generator.process.terminationStatus == 0, "\(generator.output)")
    try waitUntil("90,000 rows stored") { try rows(data) == 90_000 }
    #expect(serve.stop() == 0)
    let live = try multiset(data)

    for (copy, before) in copies {
      let v = try flowstore(["verify", "--data", copy.path])
      #expect(v.status == 0 && v.out.contains("ok:"), "\(copy.path): \(v.out) \(v.err)")
      let n = try rows(copy)
      #expect(n >= before && n <= 90_000, "\(copy.path): \(n) rows, \(before) before the copy")
      var missing = 0
      for (row, count) in try multiset(copy) where (live[row] ?? 0) < count {
        missing += count - (live[row] ?? 0)
      }
      #expect(missing == 0, "\(copy.path): \(missing) rows the live store does not hold")
    }
    #expect(copies.contains { (try? rows($0.0)) ?? 0 > 0 })
  }

  /// A backup of a folder that holds no store fails with one line and exit 1.
  @Test(.enabled(if: flowstoreBinary != nil, "the flowstore binary is not built"))
  func backupOfAFolderThatIsNoStoreFails() throws {
    let dir = try temporaryDirectory("backup-refused")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try flowstore([
      "backup", "--data", dir.appendingPathComponent("none").path, "--to",
      dir.appendingPathComponent("copy").path,
    ])
    #expect(r.status == 1)
    #expect(r.err.contains("is not a FlowStore data directory"), "\(r.err)")
  }

  /// Rows in the store, by `count(*)`.
  func rows(_ data: URL) throws -> Int {
    let r = try flowstore([
      "query", "--data", data.path, "--format", "csv", "SELECT count(*) AS n FROM flows",
    ])
    guard r.status == 0, let n = r.out.split(separator: "\n").last.flatMap({ Int($0) }) else {
      throw TestFailure("count(*) on \(data.path): \(r.out) \(r.err)")
    }
    return n
  }

  /// Every row (its identifying columns) with how many times the store holds it.
  func multiset(_ data: URL) throws -> [String: Int] {
    let r = try flowstore([
      "query", "--data", data.path, "--format", "csv",
      "SELECT time, end_time, src_addr, dst_addr, src_port, dst_port, proto, bytes, packets, "
        + "count(*) AS n FROM flows GROUP BY time, end_time, src_addr, dst_addr, src_port, "
        + "dst_port, proto, bytes, packets",
    ])
    guard r.status == 0 else { throw TestFailure("\(r.err)") }
    var out: [String: Int] = [:]
    for line in r.out.split(separator: "\n").dropFirst() {
      guard let comma = line.lastIndex(of: ","), let n = Int(line[line.index(after: comma)...])
      else { continue }
      out[String(line[..<comma]), default: 0] += n
    }
    return out
  }
}
