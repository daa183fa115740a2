import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// Staging (``StagedRecords``: data sets of one template decoded several at a time) must give
/// exactly the rows, outcomes and counters of decoding every set at once. The truth is the
/// unstaged decoder, itself checked against tshark (`CorpusTests`) and the record path
/// (`ColumnPlanTests`); options data between two sets of one template must apply to the later
/// set only.
@Suite struct StagedRecordsTests {
  typealias MB = MessageBuilder

  /// Decodes `feeds` with staging on or off, building a batch after each datagram listed in
  /// `cuts` (staged rows are finished first) and at the end.
  static func decode(_ feeds: [Feed], staged: Bool, cuts: Set<Int> = [])
    -> (FlowDecoder, [ColumnBatch], [DecodeOutcome])
  {
    var d = FlowDecoder()
    d.stagesRecords = staged
    var b = FlowBatchBuilder(capacity: 64)
    var batches: [ColumnBatch] = []
    var outcomes: [DecodeOutcome] = []
    for (i, f) in feeds.enumerated() {
      outcomes.append(d.decode(f.payload, exporter: f.exporter, receivedAt: f.time, into: &b))
      if cuts.contains(i) {
        d.finishStaged(into: &b)
        #expect(d.stagedRecords == 0)
        batches.append(b.build())
        b.reset()
      }
    }
    d.finishStaged(into: &b)
    batches.append(b.build())
    return (d, batches, outcomes)
  }

  /// Staged and unstaged decoding of `feeds` agree batch by batch and counter by counter;
  /// returns the rows compared.
  @discardableResult
  static func expectSame(_ feeds: [Feed], cuts: Set<Int> = [], _ name: String) -> Int {
    let (plain, plainBatches, plainOutcomes) = decode(feeds, staged: false, cuts: cuts)
    let (staged, stagedBatches, stagedOutcomes) = decode(feeds, staged: true, cuts: cuts)
    #expect(plainOutcomes == stagedOutcomes, "\(name)")
    #expect(plainBatches.count == stagedBatches.count, "\(name)")
    for (k, (p, s)) in zip(plainBatches, stagedBatches).enumerated() {
      #expect(p.rowCount == s.rowCount, "\(name) batch \(k)")
      for c in FlowSchema.flows.columns.map(\.name) where p.column(c) != s.column(c) {
        Issue.record("\(name) batch \(k): column \(c) differs")
      }
    }
    #expect(plain.allStatistics == staged.allStatistics, "\(name)")
    #expect(plain.unknownFields == staged.unknownFields, "\(name)")
    #expect(plain.unanchoredUptimeRecords == staged.unanchoredUptimeRecords, "\(name)")
    #expect(plain.limitCounters == staged.limitCounters, "\(name)")
    return plainBatches.reduce(0) { $0 + $1.rowCount }
  }

  /// Every capture and raw payload directory of the shared corpus, with batches cut every 7th
  /// datagram.
  @Test func corpusDecodesAlike() throws {
    var rows = 0
    var sources = 0
    for rel in CorpusTests.captures where !rel.hasSuffix(".ipfix") {
      let feeds = try pcapFeeds(rel)
      rows += Self.expectSame(feeds, cuts: Set(stride(from: 3, to: feeds.count, by: 7)), rel)
      sources += 1
    }
    for dir in CorpusTests.rawDirectories {
      let files = SharedData.files(extensions: ["dat", "bin"]).filter {
        ($0 as NSString).deletingLastPathComponent == dir
      }
      let feeds = try rawFeeds(directory: dir, files: files)
      rows += Self.expectSame(feeds, cuts: Set(stride(from: 3, to: feeds.count, by: 7)), dir)
      sources += 1
    }
    #expect(sources >= 20)
    #expect(rows > 3_000)
  }

  /// The hand-built stream of `ColumnPlanTests` (every time rule, held sets, options data that
  /// changes sampling, names and system init time mid-stream, v9 and v5), sent by two
  /// exporters whose datagrams alternate.
  @Test func handBuiltStreamDecodesAlike() {
    let a = IPAddress(v4: 0xC000_0205)
    let b = IPAddress(v4: 0xC000_0206)
    let msgs = ColumnPlanTests.datagrams()
    var feeds: [Feed] = []
    for (i, m) in msgs.enumerated() {
      for e in [a, b] {
        feeds.append(
          Feed(
            exporter: e, port: 4739, payload: m, frame: feeds.count + 1,
            time: 1_700_000_000_000 + Int64(i), file: "hand-built"))
      }
    }
    #expect(Self.expectSame(feeds, "hand-built") > 600)
    #expect(Self.expectSame(feeds, cuts: [5, 40, 41], "hand-built, cut") > 600)
  }

  /// A sampler's rate from options data between two datagrams of one template: the first
  /// datagram's rows keep the fallback rate 1, the later ones take the new rate.
  @Test func optionsBetweenSetsApplyToLaterSetsOnly() {
    let exporter = IPAddress(v4: 0x0A00_0001)
    let fields: [MB.Field] = [(8, 4, 0), (1, 4, 0), (48, 1, 0)]  // src, bytes, sampler id
    func data(_ n: Int, sequence: UInt32) -> [UInt8] {
      var body = MB()
      for i in 0..<n {
        body.u32(0x0A00_0100 + UInt32(i))
        body.u32(100 + UInt32(i))
        body.u8(7)
      }
      return MB.ipfix(sequence: sequence, sets: [MB.set(300, body.bytes)])
    }
    var rate = MB()
    rate.u8(7)
    rate.u32(50)
    let msgs: [[UInt8]] = [
      MB.ipfix(sets: [MB.set(2, MB.template(300, fields))]),
      data(3, sequence: 0), data(2, sequence: 3),
      MB.ipfix(
        sequence: 5,
        sets: [
          MB.set(3, MB.optionsTemplate(400, scope: [(48, 1, 0)], fields: [(34, 4, 0)])),
          MB.set(400, rate.bytes),
        ]),
      data(4, sequence: 6),
    ]
    let feeds = msgs.enumerated().map { i, m in
      Feed(
        exporter: exporter, port: 4739, payload: m, frame: i + 1, time: 1_700_000_000_000,
        file: "options")
    }
    Self.expectSame(feeds, "options")
    let (_, batches, _) = Self.decode(feeds, staged: true)
    #expect(batches.count == 1)
    #expect(batches[0].ints("sampling") == [1, 1, 1, 1, 1, 50, 50, 50, 50])
    #expect(batches[0].ints("bytes") == [100, 101, 102, 100, 101, 100, 101, 102, 103])
  }

  /// Long records stage up to ``StagedRecords/maxBytes``, not ``StagedRecords/maxRecords``: the
  /// stage's memory stays bounded whatever an exporter's templates say.
  @Test func stageIsBoundedInBytes() {
    let fields: [MB.Field] = [(8, 4, 0), (1, 4, 0), (9999, 992, 0)]  // 1,000-byte records
    var feeds = [
      Feed(
        exporter: IPAddress(v4: 0x0A00_0002), port: 4739,
        payload: MB.ipfix(sets: [MB.set(2, MB.template(300, fields))]), frame: 1, time: 0,
        file: "long")
    ]
    for k in 0..<600 {
      var body = MB()
      body.u32(0x0A00_0000 + UInt32(k))
      body.u32(UInt32(k))
      body.raw([UInt8](repeating: 0xAB, count: 992))
      feeds.append(
        Feed(
          exporter: IPAddress(v4: 0x0A00_0002), port: 4739,
          payload: MB.ipfix(sequence: UInt32(k), sets: [MB.set(300, body.bytes)]),
          frame: k + 2, time: 0, file: "long"))
    }
    var d = FlowDecoder()
    d.stagesRecords = true
    var b = FlowBatchBuilder(capacity: 64)
    var most = 0
    for f in feeds {
      _ = d.decode(f.payload, exporter: f.exporter, receivedAt: 0, into: &b)
      most = max(most, d.stagedRecords)
    }
    #expect(most * 1_000 <= StagedRecords.maxBytes)
    #expect(most > 1)
    #expect(Self.expectSame(feeds, "long records") == 600)
  }

  /// Staged rows are pending for the ingester and reach the store with its flush.
  @Test func ingesterCountsAndStoresStagedRows() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("staged-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try FlowStore(directory: dir)
    var ingester = FlowIngester(store: store, persistTemplates: false)
    let fields: [MB.Field] = [(8, 4, 0), (12, 4, 0), (1, 8, 0), (152, 8, 0), (153, 8, 0)]
    var rows = 0
    var datagrams = [MB.ipfix(sets: [MB.set(2, MB.template(256, fields))])]
    for k in 0..<40 {
      var body = MB()
      for i in 0..<30 {
        body.u32(0x0A00_0000 + UInt32(i))
        body.u32(0x0A01_0000 + UInt32(k))
        body.u64(UInt64(k * 30 + i))
        body.u64(1_700_000_000_000 + UInt64(k * 30 + i))
        body.u64(1_700_000_000_500 + UInt64(k * 30 + i))
      }
      datagrams.append(MB.ipfix(sequence: UInt32(rows), sets: [MB.set(256, body.bytes)]))
      rows += 30
    }
    for d in datagrams {
      d.withUnsafeBytes {
        _ = ingester.ingest($0, exporter: IPAddress(v4: 0x7F00_0001), receivedAt: 0)
      }
    }
    #expect(ingester.decoder.stagedRecords > 0)
    #expect(ingester.pendingRows == rows)
    #expect(ingester.flush() == nil)
    #expect(ingester.pendingRows == 0)
    #expect(ingester.rowsStored == rows)
    try store.close()
    let stored = try storedFlows(dir).flatMap { $0.ints("bytes") }
    #expect(stored.compactMap { $0 }.sorted() == (0..<UInt64(rows)).map { $0 })
  }
}
