import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// `flowstore generate --store` as a user runs it, against the UDP path: the same seed's
/// datagrams decoded by the collector's ingester (``FlowDecoder`` behind ``FlowIngester``, as
/// `serve` and `import` run it) into another store. Every row of every column must match.
@Suite(.serialized)
struct GenerateStoreTests {
  static let start = "2026-11-27T00:00:00Z"
  /// More than one append of `generate --store` (131,072 rows), so that a batch the store
  /// handed back is refilled.
  static let records = 140_000
  static let seed: UInt64 = 11

  /// Every row of the data directory `path`, sorted (order-independent comparison).
  static func rows(_ path: String) throws -> [String] {
    try storedFlows(path).flatMap(\.rowLines).sorted()
  }

  /// The rows the UDP path stores for the generator's datagrams (30 records each, as
  /// `generate --to` sends them) from 127.0.0.1, received at their export time.
  static func rowsThroughDecoder(stepMicros: Int64?, directory: String) throws -> [String] {
    var options = StoreOptions()
    options.backgroundTimer = false
    let store = try FlowStore(directory: directory, options: options)
    var ingester = FlowIngester(store: store, persistTemplates: false)
    var generator = SyntheticExporter(
      seed: seed, startMillis: Timestamp.parse(start)!, stepMicros: stepMicros)
    let exporter = IPAddress("127.0.0.1")!
    var sent = 0
    var errors = 0
    while sent < records {
      let k = min(30, records - sent)
      let d = generator.nextDatagram(records: k)
      let exported = Int64(d[4]) << 24 | Int64(d[5]) << 16 | Int64(d[6]) << 8 | Int64(d[7])
      errors += d.withUnsafeBytes {
        ingester.ingest($0, exporter: exporter, receivedAt: exported * 1000).errors
      }
      sent += k
    }
    #expect(errors == 0)
    #expect(ingester.flush() == nil)
    try store.close()
    return try Self.rows(directory)
  }

  @Test(
    .enabled(if: ImportCommandTests.binary != nil, "the flowstore binary is not built"),
    arguments: [nil, 2.0])
  func storedRowsEqualThoseTheUDPPathStores(days: Double?) throws {
    let dir = temporaryDirectoryURL("generate-store")
    defer { try? FileManager.default.removeItem(at: dir) }
    let bulk = dir.appendingPathComponent("bulk").path
    var args = [
      "generate", "--store", bulk, "--records", "\(Self.records)", "--seed", "\(Self.seed)",
      "--start", Self.start,
    ]
    if let days { args += ["--days", "\(days)"] }
    let r = try ImportCommandTests.flowstore(args)
    #expect(r.status == 0, "\(r.err)")
    let got = try Self.rows(bulk)
    // As the command spreads --records over --days.
    let step = days.map { Int64($0 * 86_400_000_000 / Double(Self.records)) }
    let want = try Self.rowsThroughDecoder(
      stepMicros: step, directory: dir.appendingPathComponent("udp").path)
    #expect(want.count == Self.records)
    #expect(got.count == want.count)
    let firstDifference = zip(got, want).first { $0 != $1 }
    #expect(firstDifference == nil, "generate --store row vs UDP-path row: \(firstDifference!)")
    if let days {
      let times = try storedFlows(bulk).flatMap { $0.ints("time").compactMap { $0 } }
      let span = Double(times.max()! - times.min()!) / 86_400_000
      #expect(abs(span - days) < 0.05, "the flows span \(span) days, not \(days)")
    }
  }

  /// Exactly one of --to and --store: both or neither is one line and a non-zero exit.
  @Test(.enabled(if: ImportCommandTests.binary != nil, "the flowstore binary is not built"))
  func toAndStoreAreExclusive() throws {
    let dir = temporaryDirectoryURL("generate-args")
    defer { try? FileManager.default.removeItem(at: dir) }
    for (args, message) in [
      (["--records", "10"], "give --to HOST:PORT (send over UDP) or --store DIR"),
      (["--records", "10", "--to", "127.0.0.1:9", "--store", dir.path], "not both"),
    ] {
      let r = try ImportCommandTests.flowstore(["generate"] + args)
      #expect(r.status != 0, "\(args)")
      #expect(r.err.contains(message), "\(r.err)")
      #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("LOCK").path))
  }
}
