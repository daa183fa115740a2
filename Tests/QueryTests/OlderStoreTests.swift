import Foundation
import Ingest
import Storage
import TestSupport
import Testing

@testable import Query

/// A data directory written by FlowStore at `flows` schema version 1 (before `http_user_agent`
/// and `http_method`), kept as written: `Fixtures/store-v1`.
///
/// The previous version's binary (commit 83b2599) stored two runs of `flowstore generate`
/// through `flowstore serve`: seed 7, 3,000 records from 2026-01-05T10:00:00Z, then a clean stop
/// (sealed into a segment); seed 8, 600 records from 2026-01-05T12:00:00Z, then `kill -9` (left
/// in the write-ahead log, with a stale LOCK). The truth it is checked against is the same
/// generator's records decoded and stored by this version.
@Suite struct OlderStoreTests {
  static let fixture = Bundle.module.resourcePath! + "/Fixtures/store-v1"
  static let exporter = IPAddress(v4: 0x7F00_0001)

  /// A copy of the fixture (opening a store writes to it).
  static func copyOfFixture() throws -> String {
    let dir = temporaryDirectory("store-v1")
    try FileManager.default.removeItem(atPath: dir)
    try FileManager.default.copyItem(atPath: fixture, toPath: dir)
    return dir
  }

  /// The fixture's records stored by this version.
  static func currentStore() throws -> String {
    let dir = temporaryDirectory("store-v2")
    var options = StoreOptions()
    options.backgroundTimer = false
    let store = try FlowStore(directory: dir, options: options)
    var ingester = FlowIngester(store: store, persistTemplates: false)
    for (seed, records, start) in [
      (7 as UInt64, 3000, "2026-01-05T10:00:00Z"), (8, 600, "2026-01-05T12:00:00Z"),
    ] {
      var gen = SyntheticExporter(seed: seed, startMillis: Timestamp.parse(start)!)
      for _ in 0..<(records / 30) {
        let d = gen.nextDatagram(records: 30)
        d.withUnsafeBytes { _ = ingester.ingest($0, exporter: exporter, receivedAt: 0) }
      }
    }
    #expect(ingester.flush() == nil)
    try store.close()
    return dir
  }

  static let queries = [
    "SELECT count(*), sum(bytes), sum(packets), min(time), max(end_time), count(http_host), count(app) FROM flows",
    "SELECT dst_port, app, count(*), sum(bytes) FROM flows GROUP BY dst_port, app ORDER BY 4 DESC, 1, 2",
    "SELECT src_addr, dst_addr, http_host, bytes FROM flows WHERE time >= '2026-01-05T12:00:00Z' ORDER BY time, src_addr LIMIT 50",
  ]

  /// Read-only: the old store answers like the same records stored now, and reads the columns
  /// it never had as NULL.
  @Test func olderStoreAnswersAndReadsNewColumnsAsNull() throws {
    let old = try Self.copyOfFixture()
    let now = try Self.currentStore()
    defer {
      cleanup(old)
      cleanup(now)
    }
    let oldEngine = QueryEngine(provider: try StoreReader(directory: old))
    let nowEngine = QueryEngine(provider: try StoreReader(directory: now))
    for q in Self.queries {
      let a = try oldEngine.execute(q)
      #expect(a.rows.count > 0, "\(q)")
      #expect(a.rows == (try nowEngine.execute(q)).rows, "\(q)")
    }
    let nulls = try oldEngine.execute(
      "SELECT count(*), count(http_user_agent), count(http_method) FROM flows WHERE http_method IS NULL"
    )
    #expect(nulls.rows == [[.int(3600), .int(0), .int(0)]])
  }

  /// Written to: the store recovers the old write-ahead log, takes rows with the new columns,
  /// and the old rows still read them as NULL after sealing.
  @Test func olderStoreTakesRowsWithNewColumns() throws {
    let dir = try Self.copyOfFixture()
    defer { cleanup(dir) }
    var options = StoreOptions()
    options.backgroundTimer = false
    let store = try FlowStore(directory: dir, options: options)
    let t = Timestamp.parse("2026-01-05T13:00:00Z")!
    let batch = try ColumnBatch(
      schema: FlowSchema.flows, rowCount: 2,
      columns: [
        "time": ColumnVector(.timestamp([t, t + 1])),
        "end_time": ColumnVector(.timestamp([t, t + 1])),
        "exporter": ColumnVector(.ip([Self.exporter, Self.exporter])),
        "domain": ColumnVector(.uint32([1, 1])),
        "sampling": ColumnVector(.uint32([1, 1])),
        "http_user_agent": ColumnVector(.string(["curl/8.5.0", "Mozilla/5.0"])),
        "http_method": ColumnVector(.string(["GET", "POST"])),
      ])
    try store.append(batch)
    try store.close()
    let engine = QueryEngine(provider: try StoreReader(directory: dir))
    let r = try engine.execute(
      "SELECT http_method, http_user_agent, count(*) FROM flows GROUP BY 1, 2 ORDER BY 1")
    #expect(
      r.rows == [
        [.string("GET"), .string("curl/8.5.0"), .int(1)],
        [.string("POST"), .string("Mozilla/5.0"), .int(1)],
        [.null, .null, .int(3600)],
      ])
  }
}
