import Storage
import TestSupport
import Testing

@testable import Ingest

/// The columnar path (``ColumnPlan``) must append exactly the rows the record path does: the
/// same datagrams are decoded with plans on and off and the batches, outcomes and counters
/// compared, over NetFlow v5 and templates that exercise every column, reduced-size and oversized fields,
/// address families, field precedence, every time rule, sampling, held sets and fallbacks.
@Suite struct ColumnPlanTests {
  typealias MB = MessageBuilder
  let exporter = IPAddress(v4: 0xC000_0205)

  /// Templates by id: (field id, length, enterprise).
  static let templates: [(UInt16, [MB.Field])] = [
    // The reference benchmark template.
    (
      300,
      [
        (8, 4, 0), (12, 4, 0), (152, 8, 0), (153, 8, 0), (1, 8, 0), (2, 8, 0), (7, 2, 0),
        (11, 2, 0), (4, 1, 0), (6, 1, 0), (5, 1, 0), (10, 4, 0), (14, 4, 0),
      ]
    ),
    // Both address families, reduced sizes, precedence (bytes over bytesTotal), VLANs, AS,
    // next hops, an unknown field, second-resolution times.
    (
      301,
      [
        (27, 16, 0), (28, 16, 0), (8, 4, 0), (12, 4, 0), (1, 4, 0), (85, 8, 0), (2, 3, 0),
        (231, 5, 0), (58, 2, 0), (243, 2, 0), (16, 4, 0), (17, 2, 0), (15, 4, 0), (63, 16, 0),
        (136, 1, 0), (457, 2, 0), (999, 6, 0), (150, 4, 0), (151, 4, 0), (7, 2, 0), (7, 1, 0),
      ]
    ),
    // Biflow (RFC 5103 and initiator/responder), NTP times, oversized and odd lengths,
    // an address of the wrong length (ignored), BGP next hop only.
    (
      302,
      [
        (231, 8, 0), (298, 4, 0), (1, 8, 29305), (2, 8, 29305), (232, 8, 0), (299, 8, 0),
        (4, 1, 0), (156, 8, 0), (157, 8, 0), (10, 1, 0), (14, 10, 0), (8, 3, 0), (18, 4, 0),
        (155, 8, 0), (12, 4, 0), (28, 16, 0),
      ]
    ),
    // sysUpTime-relative times (unanchored, then anchored by systemInitTimeMilliseconds).
    (303, [(8, 4, 0), (12, 4, 0), (22, 4, 0), (21, 4, 0), (1, 4, 0), (2, 4, 0), (62, 16, 0)]),
    // Delta microseconds and observation time; only one end given.
    (304, [(8, 4, 0), (158, 4, 0), (2, 4, 0), (323, 8, 0)]),
    (305, [(12, 4, 0), (323, 8, 0), (1, 2, 0), (159, 4, 0)]),
    // Mixed precisions: milliseconds win over seconds in either order.
    (306, [(150, 4, 0), (152, 8, 0), (153, 8, 0), (151, 4, 0), (1, 4, 0), (1160, 2, 0)]),
    // No time and no address at all; start only.
    (307, [(1, 4, 0), (2, 4, 0)]),
    (308, [(152, 8, 0), (1, 4, 0), (22, 4, 0)]),
    // Sampling per record: a sampler id (rates from options data), a stated interval, a
    // random interval that wins over a selector id.
    (312, [(8, 4, 0), (1, 4, 0), (48, 1, 0)]),
    (313, [(8, 4, 0), (1, 4, 0), (34, 4, 0)]),
    (314, [(12, 4, 0), (2, 4, 0), (50, 2, 0), (302, 4, 0)]),
    // Application ids: well-known, `engine:selector`, named by options data; one too short.
    (311, [(8, 4, 0), (95, 4, 0), (2, 4, 0)]),
    (315, [(95, 1, 0), (12, 4, 0), (95, 3, 0), (1, 4, 0)]),
    // Record path: a fixed-length string, a variable-length string.
    (309, [(8, 4, 0), (460, 8, 0), (1, 4, 0)]),
    (310, [(8, 4, 0), (96, 65535, 0), (1, 4, 0)]),
  ]

  /// The record length of a fixed template (variable fields written as 1 + 3 bytes).
  static func recordBytes(_ fields: [MB.Field], _ rng: inout SplitMix) -> [UInt8] {
    var out: [UInt8] = []
    for f in fields {
      if f.length == 65535 {
        out += [3] + Array("abc".utf8)
        continue
      }
      var b = rng.bytes(Int(f.length))
      if f.id == 48 { b = [UInt8(rng.next() % 5)] }  // sampler ids 0...4, some with a rate
      if f.id == 95, f.length >= 2 {
        // Engines 1 and 3 (well-known names), 13 (named below) and others; small selectors.
        b =
          [[1, 3, 13, 20][Int(rng.next() % 4)]] + [UInt8](repeating: 0, count: Int(f.length) - 2)
          + [UInt8(rng.next() % 8 * 11)]
      }
      // Zero addresses now and then (the IPv4/IPv6 choice depends on them).
      if [8, 12, 27, 28, 15, 62].contains(f.id), rng.next() % 3 == 0 {
        b = [UInt8](repeating: 0, count: b.count)
      }
      out += b
    }
    return out
  }

  /// A stream of IPFIX and NetFlow v9 datagrams over all templates.
  static func datagrams() -> [[UInt8]] {
    var rng = SplitMix(seed: 42)
    var out: [[UInt8]] = []
    let all = templates
    // A data set before its template: held, then released through the same paths.
    let early = MB.set(303, (0..<3).flatMap { _ in recordBytes(all[3].1, &rng) })
    out.append(MB.ipfix(sequence: 0, sets: [early]))
    out.append(MB.ipfix(sequence: 0, sets: [MB.set(2, all.flatMap { MB.template($0.0, $0.1) })]))
    var sequence: UInt32 = 0
    for round in 0..<40 {
      if round == 10 {
        // Rates of samplers 1, 2 and 3 from options data.
        let opt = MB.set(3, MB.optionsTemplate(401, scope: [(48, 1, 0)], fields: [(34, 4, 0)]))
        var d = MB()
        for (id, rate) in [(1, 10), (2, 0), (3, 1000)] as [(UInt8, UInt32)] {
          d.u8(id)
          d.u32(rate)
        }
        out.append(MB.ipfix(sequence: sequence, sets: [opt, MB.set(401, d.bytes)]))
      }
      if round == 12 {
        // Names of application ids 13:22 and 13:33.
        let opt = MB.set(3, MB.optionsTemplate(402, scope: [(95, 4, 0)], fields: [(96, 65535, 0)]))
        var d = MB()
        for (selector, name) in [(22, "crm"), (33, "erp")] as [(UInt8, String)] {
          d.raw([13, 0, 0, selector, UInt8(name.utf8.count)] + Array(name.utf8))
        }
        out.append(MB.ipfix(sequence: sequence, sets: [opt, MB.set(402, d.bytes)]))
      }
      if round == 15 {
        // systemInitTimeMilliseconds and a default sampling rate from options data.
        let opt = MB.set(
          3,
          MB.optionsTemplate(400, scope: [(149, 4, 0)], fields: [(160, 8, 0), (34, 4, 0)]))
        var d = MB()
        d.u32(1)
        d.u64(1_699_999_000_000)
        d.u32(64)
        out.append(MB.ipfix(sequence: sequence, sets: [opt, MB.set(400, d.bytes)]))
      }
      var sets: [[UInt8]] = []
      var records: UInt32 = 0
      for (id, fields) in all where rng.next() % 3 != 0 {
        let n = Int(rng.next() % 6)
        var body = (0..<n).flatMap { _ in recordBytes(fields, &rng) }
        body += [UInt8](repeating: 0, count: Int(rng.next() % 3))  // set padding
        sets.append(MB.set(id, body))
        records += UInt32(n)
      }
      out.append(
        MB.ipfix(exportTime: 1_700_000_000 + UInt32(round), sequence: sequence, sets: sets))
      sequence &+= records
    }
    // NetFlow v9: header sysUptime.
    let v9 =
      [(8, 4, 0), (12, 4, 0), (22, 4, 0), (21, 4, 0), (1, 4, 0), (2, 4, 0), (10, 2, 0)]
      as [MB.Field]
    out.append(
      MB.v9(
        uptime: 5_000_000, unixSecs: 1_700_000_100,
        sets: [MB.set(0, MB.template(256, v9, v9: true))]))
    for i in 0..<5 {
      let body = (0..<(i + 1)).flatMap { _ in recordBytes(v9, &rng) }
      out.append(
        MB.v9(
          uptime: 5_000_000 + UInt32(i), unixSecs: 1_700_000_101, sequence: UInt32(i + 1),
          sets: [MB.set(256, body)]))
    }
    // NetFlow v5: fixed records, header uptime and sampling.
    var v5Sequence: UInt32 = 100
    for i in 0..<6 {
      let count = 1 + Int(rng.next() % 30)
      var m = MB()
      m.u16(5)
      m.u16(UInt16(count))
      m.u32(3_000_000_000 + UInt32(i))
      m.u32(1_700_000_200)
      m.u32(123_456_789)
      m.u32(v5Sequence)
      m.u8(0)
      m.u8(UInt8(i % 2))
      m.u16(i < 3 ? 0 : 0x4000 | UInt16(i * 10))
      m.raw(rng.bytes(48 * count))
      out.append(m.bytes)
      v5Sequence &+= UInt32(count)
    }
    return out
  }

  /// Decodes `msgs` in two batches (the builder is reset in between).
  func decode(_ msgs: [[UInt8]], columnar: Bool) -> (FlowDecoder, [ColumnBatch], [DecodeOutcome]) {
    var d = FlowDecoder()
    d.usesColumnPlans = columnar
    var b = FlowBatchBuilder(capacity: 16)
    var batches: [ColumnBatch] = []
    var outcomes: [DecodeOutcome] = []
    for (i, m) in msgs.enumerated() {
      outcomes.append(d.decode(m, exporter: exporter, receivedAt: 1_700_000_000_000, into: &b))
      if i == msgs.count / 2 {
        batches.append(b.build())
        b.reset()
      }
    }
    batches.append(b.build())
    return (d, batches, outcomes)
  }

  @Test func columnarMatchesRecordPath() {
    let msgs = Self.datagrams()
    let (fast, fastBatches, fastOutcomes) = decode(msgs, columnar: true)
    let (slow, slowBatches, slowOutcomes) = decode(msgs, columnar: false)
    #expect(fastBatches.map(\.rowCount).reduce(0, +) > 300)
    #expect(fast.templates.values.filter { $0.plan != nil }.count == 15)
    #expect(fastOutcomes == slowOutcomes)
    #expect(fastOutcomes.allSatisfy { $0.errors == 0 })
    #expect(fastBatches.count == slowBatches.count)
    for (f, s) in zip(fastBatches, slowBatches) {
      #expect(f.rowCount == s.rowCount)
      for c in FlowSchema.flows.columns.map(\.name) {
        #expect(f.column(c) == s.column(c), "column \(c)")
      }
      #expect(f == s)
    }
    #expect(fast.unanchoredUptimeRecords == slow.unanchoredUptimeRecords)
    #expect(fast.unanchoredUptimeRecords > 0)
    #expect(fast.unknownFields == slow.unknownFields)
    #expect(fast.allStatistics == slow.allStatistics)
    #expect(fast.limitCounters == slow.limitCounters)
  }

  /// The reference template decoded column by column, against values written by hand.
  @Test func referenceTemplateValues() {
    let fields = Self.templates[0].1
    var r = MB()
    r.u32(0x0A00_0001)
    r.u32(0x0A00_0002)
    r.u64(1_700_000_000_123)
    r.u64(1_700_000_000_456)
    r.u64(1500)
    r.u64(3)
    r.u16(443)
    r.u16(51000)
    r.u8(6)
    r.u8(0x12)
    r.u8(0)
    r.u32(7)
    r.u32(9)
    let msg = MB.ipfix(sets: [
      MB.set(2, MB.template(300, fields)), MB.set(300, r.bytes + r.bytes + [0, 0, 0]),
    ])
    var d = FlowDecoder()
    var b = FlowBatchBuilder()
    let o = d.decode(msg, exporter: exporter, receivedAt: 0, into: &b)
    let batch = b.build()
    #expect(o.records == 2)
    #expect(batch.ints("time") == [1_700_000_000_123, 1_700_000_000_123])
    #expect(batch.ints("end_time") == [1_700_000_000_456, 1_700_000_000_456])
    #expect(batch.ips("src_addr") == [IPAddress(v4: 0x0A00_0001), IPAddress(v4: 0x0A00_0001)])
    #expect(batch.ips("dst_addr") == [IPAddress(v4: 0x0A00_0002), IPAddress(v4: 0x0A00_0002)])
    #expect(batch.ints("bytes") == [1500, 1500])
    #expect(batch.ints("packets") == [3, 3])
    #expect(batch.ints("src_port") == [443, 443])
    #expect(batch.ints("dst_port") == [51000, 51000])
    #expect(batch.ints("proto") == [6, 6])
    #expect(batch.ints("tcp_flags") == [0x12, 0x12])
    #expect(batch.ints("in_if") == [7, 7])
    #expect(batch.ints("out_if") == [9, 9])
    #expect(batch.ints("sampling") == [1, 1])
    #expect(batch.ints("rev_bytes") == [nil, nil])
    #expect(batch.strings("app") == [nil, nil])
  }

  /// Bulk validity appends give the bitmap that one bit at a time gives, across word edges.
  @Test func bulkValidityMatchesBitByBit() {
    var rng = SplitMix(seed: 7)
    for _ in 0..<200 {
      var bulk = ValidityBuilder()
      var single = ValidityBuilder()
      for _ in 0..<Int(rng.next() % 12) {
        let present = rng.next() % 2 == 0
        let n = Int(rng.next() % 150)
        bulk.append(present, count: n)
        for _ in 0..<n { single.append(present) }
      }
      #expect(bulk.count == single.count)
      #expect(bulk.nulls == single.nulls)
      #expect(bulk.bitmap == single.bitmap)
    }
  }
}
