import Storage
import TestSupport
import Testing

@testable import Ingest

/// Parser-level behaviour on hand-built messages (each PITFALLS.md entry has a test here or in
/// CorpusTests).
@Suite struct ParserTests {
  let exporter = IPAddress(v4: 0xC000_0201)
  typealias MB = MessageBuilder

  /// A record for template [src(8,4), dst(12,4), bytes(1,n), packets(2,4)].
  func record(src: UInt32, dst: UInt32, bytes: [UInt8], packets: UInt32) -> [UInt8] {
    var m = MB()
    m.u32(src)
    m.u32(dst)
    m.raw(bytes)
    m.u32(packets)
    return m.bytes
  }

  func decode(_ msgs: [[UInt8]], decoder: inout FlowDecoder, at time: Int64 = 0)
    -> (ColumnBatch, [DecodeOutcome])
  {
    var b = FlowBatchBuilder()
    let outcomes = msgs.map { decoder.decode($0, exporter: exporter, receivedAt: time, into: &b) }
    return (b.build(), outcomes)
  }

  /// PITFALLS 10: reduced-size encoding; octetDeltaCount in 3, 5 and 7 bytes.
  @Test(arguments: [3, 5, 7] as [UInt16])
  func reducedSizeEncoding(_ size: UInt16) {
    var d = FlowDecoder()
    let tpl = MB.set(2, MB.template(300, [(8, 4, 0), (12, 4, 0), (1, size, 0), (2, 4, 0)]))
    let value = (UInt64(1) << (8 * UInt64(size) - 1)) + 12345
    let be = (0..<Int(size)).map {
      UInt8(truncatingIfNeeded: value >> (8 * UInt64(Int(size) - 1 - $0)))
    }
    let data = MB.set(300, record(src: 0x0A00_0001, dst: 0x0A00_0002, bytes: be, packets: 7))
    let (batch, _) = decode([MB.ipfix(sets: [tpl, data])], decoder: &d)
    #expect(batch.ints("bytes") == [value])
    #expect(batch.ints("packets") == [7])
  }

  /// PITFALLS 5: variable-length fields with the 1-byte and the 3-byte (255 + u16) length.
  @Test func variableLengthFields() {
    var d = FlowDecoder()
    let tpl = MB.set(2, MB.template(301, [(460, 65535, 0), (96, 65535, 0), (2, 4, 0)]))
    let longHost = String(repeating: "h", count: 300)
    var r = MB()
    r.u8(255)
    r.u16(300)
    r.raw(Array(longHost.utf8))
    r.u8(4)
    r.raw(Array("http".utf8))
    r.u32(9)
    var r2 = MB()
    r2.u8(0)
    r2.u8(3)
    r2.raw(Array("dns".utf8))
    r2.u32(1)
    let data = MB.set(301, r.bytes + r2.bytes + [0, 0])  // two padding bytes < min length 6
    let (batch, o) = decode([MB.ipfix(sets: [tpl, data])], decoder: &d)
    #expect(o[0].errors == 0)
    #expect(batch.strings("http_host") == [longHost, ""])
    #expect(batch.strings("app") == ["http", "dns"])
    #expect(batch.ints("packets") == [9, 1])
  }

  /// IANA httpUserAgent (458) and httpRequestMethod (459) fill `http_user_agent` and
  /// `http_method`, beside httpRequestHost (460); a record without them reads them as NULL.
  @Test func httpUserAgentAndMethod() {
    var d = FlowDecoder()
    let tpl = MB.set(
      2, MB.template(303, [(459, 65535, 0), (458, 65535, 0), (460, 65535, 0), (2, 4, 0)]))
    let tpl2 = MB.set(2, MB.template(304, [(2, 4, 0)]))
    var r = MB()
    for text in ["GET", "curl/8.5.0", "example.org"] {
      r.u8(UInt8(text.utf8.count))
      r.raw(Array(text.utf8))
    }
    r.u32(3)
    let data = MB.set(303, r.bytes)
    let data2 = MB.set(304, [0, 0, 0, 5])
    let (batch, o) = decode([MB.ipfix(sets: [tpl, tpl2, data, data2])], decoder: &d)
    #expect(o[0].errors == 0)
    #expect(batch.strings("http_method") == ["GET", nil])
    #expect(batch.strings("http_user_agent") == ["curl/8.5.0", nil])
    #expect(batch.strings("http_host") == ["example.org", nil])
    #expect(batch.ints("packets") == [3, 5])
  }

  /// A variable-length record whose length runs past the set is counted, not read.
  @Test func truncatedVariableLengthRecordIsCounted() {
    var d = FlowDecoder()
    let tpl = MB.set(2, MB.template(302, [(460, 65535, 0)]))
    let data = MB.set(302, [200, 1, 2, 3])
    let (batch, o) = decode([MB.ipfix(sets: [tpl, data])], decoder: &d)
    #expect(batch.rowCount == 0)
    #expect(o[0].firstError == .truncatedRecord(templateID: 302))
  }

  /// PITFALLS 6 and RFC 7011 6: enterprise fields are skipped by length and counted per
  /// (enterprise, id); ntop's PEN maps to L7 columns.
  @Test func enterpriseFields() {
    var d = FlowDecoder()
    let tpl = MB.set(
      2, MB.template(303, [(8, 4, 0), (1234, 2, 9999), (188, 65535, 35632), (205, 8, 35632)]))
    var r = MB()
    r.u32(0x0A00_0001)
    r.u16(0xBEEF)
    r.u8(11)
    r.raw(Array("example.org".utf8))
    r.raw(Array("a.b".utf8) + [0, 0, 0, 0, 0])  // fixed-size string padded with NULs
    let data = MB.set(303, r.bytes + r.bytes)
    let (batch, _) = decode([MB.ipfix(sets: [tpl, data])], decoder: &d)
    #expect(batch.strings("tls_sni") == ["example.org", "example.org"])
    #expect(batch.strings("dns_query") == ["a.b", "a.b"])
    #expect(d.unknownFields[FieldKey(enterprise: 9999, id: 1234)] == 2)
  }

  /// PITFALLS 6: in NetFlow v9 an id above 32767 is a plain vendor id (nProbe 57472 + n).
  @Test func v9HighIDsAreNotEnterpriseBits() {
    var d = FlowDecoder()
    let tpl = MB.set(
      0, MB.template(260, [(8, 4, 0), (57591, 8, 0), (57659, 8, 0), (40000, 2, 0)], v9: true))
    var r = MB()
    r.u32(0x0A00_0001)
    r.raw(Array("TLS".utf8) + [0, 0, 0, 0, 0])
    r.raw(Array("h.example".utf8.prefix(8)))
    r.u16(7)
    let msg = MB.v9(uptime: 1000, unixSecs: 1_700_000_000, sets: [tpl, MB.set(260, r.bytes)])
    let (batch, o) = decode([msg], decoder: &d)
    #expect(o[0].errors == 0)
    #expect(batch.strings("app") == ["TLS"])
    #expect(batch.strings("http_host") == ["h.exampl"])
    #expect(d.unknownFields[FieldKey(enterprise: 0, id: 40000)] == 1)
  }

  /// PITFALLS 12: RFC 5103 reverse counters (PEN 29305) fill rev_bytes/rev_packets; a
  /// uniflow leaves them NULL.
  @Test func biflow() {
    var d = FlowDecoder()
    let tpl = MB.set(
      2, MB.template(304, [(8, 4, 0), (1, 8, 0), (2, 8, 0), (1, 8, 29305), (2, 8, 29305)]))
    let uni = MB.set(2, MB.template(305, [(8, 4, 0), (1, 8, 0), (2, 8, 0)]))
    var r = MB()
    r.u32(1)
    r.u64(100)
    r.u64(2)
    r.u64(300)
    r.u64(4)
    var u = MB()
    u.u32(1)
    u.u64(5)
    u.u64(1)
    let (batch, _) = decode(
      [MB.ipfix(sets: [tpl, uni, MB.set(304, r.bytes), MB.set(305, u.bytes)])], decoder: &d)
    #expect(batch.ints("bytes") == [100, 5])
    #expect(batch.ints("rev_bytes") == [300, nil])
    #expect(batch.ints("rev_packets") == [4, nil])
  }

  /// PITFALLS 11: v9 FIRST/LAST_SWITCHED are relative to the header sysUptime: boot time is
  /// export time minus uptime (nfdump's arithmetic, checked against it in SoftflowdTests).
  @Test func v9SysUptimeMath() {
    var d = FlowDecoder()
    let tpl = MB.set(0, MB.template(256, [(22, 4, 0), (21, 4, 0)], v9: true))
    var r = MB()
    r.u32(4_000_000_000)  // 46 days after boot
    r.u32(4_000_004_000)
    let msg = MB.v9(
      uptime: 4_000_010_000, unixSecs: 1_700_000_000, sets: [tpl, MB.set(256, r.bytes)])
    let (batch, _) = decode([msg], decoder: &d)
    let export: UInt64 = 1_700_000_000_000
    #expect(batch.ints("time") == [export - 10_000])
    #expect(batch.ints("end_time") == [export - 6_000])
  }

  /// PITFALLS 11: IPFIX flowStart/EndSysUpTime anchored by systemInitTimeMilliseconds from
  /// options data; NTP microseconds; delta microseconds; export-time fallback.
  @Test func ipfixTimeForms() {
    var d = FlowDecoder()
    let opt = MB.set(3, MB.optionsTemplate(400, scope: [(149, 4, 0)], fields: [(160, 8, 0)]))
    var o = MB()
    o.u32(1)
    o.u64(1_699_136_100_000)
    let tUp = MB.set(2, MB.template(401, [(22, 4, 0), (21, 4, 0)]))
    var up = MB()
    up.u32(1000)
    up.u32(3000)
    let tNtp = MB.set(2, MB.template(402, [(154, 8, 0)]))
    var ntp = MB()
    ntp.u64((UInt64(1_700_000_000) + 2_208_988_800) << 32 | 0x8000_0000)  // +0.5 s
    let tDelta = MB.set(2, MB.template(403, [(158, 4, 0), (159, 4, 0)]))
    var delta = MB()
    delta.u32(5_000_000)
    delta.u32(1_000_000)
    let tNone = MB.set(2, MB.template(404, [(8, 4, 0)]))
    let msg = MB.ipfix(
      exportTime: 1_700_000_100,
      sets: [
        opt, MB.set(400, o.bytes), tUp, tNtp, tDelta, tNone, MB.set(401, up.bytes),
        MB.set(402, ntp.bytes), MB.set(403, delta.bytes), MB.set(404, [10, 0, 0, 1]),
      ])
    let (batch, _) = decode([msg], decoder: &d)
    #expect(
      batch.ints("time") == [
        1_699_136_101_000, 1_700_000_000_500, 1_700_000_095_000, 1_700_000_100_000,
      ])
    #expect(
      batch.ints("end_time") == [
        1_699_136_103_000, 1_700_000_000_500, 1_700_000_099_000, 1_700_000_100_000,
      ])
  }

  /// RFC 7011 8.1: withdrawal of one template and withdraw-all; data after it is held.
  @Test func templateWithdrawal() {
    var d = FlowDecoder()
    let tpl = MB.set(2, MB.template(310, [(8, 4, 0)]) + MB.template(311, [(12, 4, 0)]))
    var w = MB()
    w.u16(310)
    w.u16(0)
    let (b1, o1) = decode(
      [
        MB.ipfix(sets: [tpl]), MB.ipfix(sets: [MB.set(2, w.bytes)]),
        MB.ipfix(sets: [MB.set(310, [1, 2, 3, 4]), MB.set(311, [5, 6, 7, 8])]),
      ], decoder: &d)
    #expect(o1[1].withdrawals == 1)
    #expect(b1.rowCount == 1)
    #expect(o1[2].heldSets == 1)
    var all = MB()
    all.u16(2)
    all.u16(0)
    let (b2, o2) = decode(
      [MB.ipfix(sets: [MB.set(2, all.bytes)]), MB.ipfix(sets: [MB.set(311, [5, 6, 7, 8])])],
      decoder: &d)
    #expect(o2[0].withdrawals == 1)
    #expect(b2.rowCount == 0)
    #expect(d.templateCount == 0)
  }

  /// PITFALLS 2: a new definition under an existing id replaces the old one.
  @Test func templateRedefinition() {
    var d = FlowDecoder()
    let a = MB.set(2, MB.template(320, [(8, 4, 0)]))
    let b = MB.set(2, MB.template(320, [(7, 2, 0), (11, 2, 0)]))
    let (batch, _) = decode(
      [
        MB.ipfix(sets: [a, MB.set(320, [10, 0, 0, 1])]),
        MB.ipfix(sets: [b, MB.set(320, [0, 80, 1, 187])]),
      ],
      decoder: &d)
    #expect(batch.ips("src_addr") == [IPAddress(v4: 0x0A00_0001), nil])
    #expect(batch.ints("dst_port") == [nil, 443])
  }

  /// A refresh (the same definition again) renews the template without compiling it again, and
  /// keeps it from expiring; a changed definition is compiled anew.
  @Test func templateRefreshKeepsTheCompiledDefinition() {
    var limits = DecoderLimits()
    limits.templateTimeout = 60_000
    var d = FlowDecoder(limits: limits)
    let key = TemplateKey(exporter: exporter, domain: 1, id: 330)
    let tpl = MB.set(2, MB.template(330, [(8, 4, 0), (1, 4, 0)]))
    _ = decode([MB.ipfix(sets: [tpl])], decoder: &d, at: 0)
    let first = d.templates[key]!.definition
    _ = decode([MB.ipfix(sets: [tpl])], decoder: &d, at: 50_000)
    #expect(d.templates[key]!.definition === first)
    #expect(d.templates[key]!.lastSeen == 50_000)
    // Renewed at 50 s, so still there at 100 s (60 s timeout).
    let data = MB.set(330, [10, 0, 0, 1, 0, 0, 0, 9])
    let (b, _) = decode([MB.ipfix(sets: [data])], decoder: &d, at: 100_000)
    #expect(b.ints("bytes") == [9])
    _ = decode(
      [MB.ipfix(sets: [MB.set(2, MB.template(330, [(8, 4, 0), (2, 4, 0)]))])], decoder: &d,
      at: 100_000)
    #expect(d.templates[key]!.definition !== first)
  }

  /// PITFALLS 1: data before its template is held, then decoded when the template arrives;
  /// beyond the bound the oldest held set is dropped and counted.
  @Test func heldDataSets() {
    var limits = DecoderLimits()
    limits.maxHeldDataSets = 2
    var d = FlowDecoder(limits: limits)
    let data = { (v: UInt8) in MB.ipfix(sets: [MB.set(330, [10, 0, 0, v])]) }
    let (b1, o1) = decode([data(1), data(2), data(3)], decoder: &d)
    #expect(b1.rowCount == 0)
    #expect(o1.map(\.heldSets) == [1, 1, 1])
    #expect(o1[2].droppedSets == 1)
    #expect(d.statistics(for: exporter)?.droppedSets == 1)
    let (b2, o2) = decode([MB.ipfix(sets: [MB.set(2, MB.template(330, [(8, 4, 0)]))])], decoder: &d)
    #expect(o2[0].releasedSets == 2)
    #expect(b2.ips("src_addr") == [IPAddress(v4: 0x0A00_0002), IPAddress(v4: 0x0A00_0003)])
    #expect(d.heldDataSetCount == 0)
  }

  /// Limits: templates per exporter (beyond it, evictions), fields per template, exporters
  /// tracked.
  @Test func limits() {
    var limits = DecoderLimits()
    limits.maxTemplatesPerExporter = 2
    limits.maxFieldsPerTemplate = 3
    limits.maxExporters = 1
    var d = FlowDecoder(limits: limits)
    let tpls = MB.set(
      2,
      MB.template(340, [(8, 4, 0)]) + MB.template(341, [(8, 4, 0)])
        + MB.template(342, [(8, 4, 0)])
        + MB.template(343, [(8, 4, 0), (12, 4, 0), (7, 2, 0), (11, 2, 0)]))
    let (_, o) = decode([MB.ipfix(sets: [tpls])], decoder: &d)
    #expect(o[0].templates == 4)
    #expect(d.templateCount == 2)
    #expect(d.limitCounters.templatesEvicted == 1)
    #expect(d.statistics(for: exporter)?.evictedTemplates == 1)
    #expect(d.limitCounters.templatesRejected == 0)
    #expect(d.limitCounters.oversizedTemplates == 1)
    var b = FlowBatchBuilder()
    let other = d.decode(
      MB.ipfix(sets: [tpls]), exporter: IPAddress(v4: 9), receivedAt: 0, into: &b)
    #expect(other.firstError == .tooManyExporters)
    #expect(d.limitCounters.exportersRejected == 1)
  }

  /// Template expiry for exporters that stop refreshing.
  @Test func templateExpiry() {
    var limits = DecoderLimits()
    limits.templateTimeout = 60_000
    var d = FlowDecoder(limits: limits)
    _ = decode([MB.ipfix(sets: [MB.set(2, MB.template(350, [(8, 4, 0)]))])], decoder: &d, at: 0)
    // Used (and so remembered as the last template found) before it expires: data does not
    // renew a template, so it still expires 60 s after its definition.
    let (used, _) = decode([MB.ipfix(sets: [MB.set(350, [1, 2, 3, 4])])], decoder: &d, at: 30_000)
    #expect(used.rowCount == 1)
    let (b, o) = decode([MB.ipfix(sets: [MB.set(350, [1, 2, 3, 4])])], decoder: &d, at: 120_000)
    #expect(b.rowCount == 0)
    #expect(o[0].heldSets == 1)
    #expect(d.statistics(for: exporter)?.expiredTemplates == 1)
  }

  /// PITFALLS 3: the same template id in two domains of one exporter are different templates.
  @Test func templatesKeyedByDomain() {
    var d = FlowDecoder()
    let (batch, _) = decode(
      [
        MB.ipfix(domain: 1, sets: [MB.set(2, MB.template(360, [(8, 4, 0)]))]),
        MB.ipfix(domain: 2, sets: [MB.set(2, MB.template(360, [(7, 2, 0)]))]),
        MB.ipfix(domain: 1, sets: [MB.set(360, [10, 0, 0, 1])]),
        MB.ipfix(domain: 2, sets: [MB.set(360, [0, 22])]),
      ], decoder: &d)
    #expect(batch.ips("src_addr") == [IPAddress(v4: 0x0A00_0001), nil])
    #expect(batch.ints("src_port") == [nil, 22])
    #expect(batch.ints("domain") == [1, 2])
  }

  /// PITFALLS 9: IPFIX sequence numbers count data records; gaps are counted, data kept.
  @Test func sequenceGaps() {
    var d = FlowDecoder()
    let tpl = MB.set(2, MB.template(370, [(8, 4, 0)]))
    let rec = MB.set(370, [1, 1, 1, 1, 2, 2, 2, 2])
    let (batch, o) = decode(
      [
        MB.ipfix(sequence: 0, sets: [tpl, rec]), MB.ipfix(sequence: 2, sets: [rec]),
        MB.ipfix(sequence: 9, sets: [rec]),
      ], decoder: &d)
    #expect(batch.rowCount == 6)
    #expect(o.map(\.sequenceGaps) == [0, 0, 1])
    #expect(d.statistics(for: exporter)?.lost == 5)
  }

  /// PITFALLS 4: sampling from options data by sampler id, from the record, else 1.
  @Test func sampling() {
    var d = FlowDecoder()
    let opt = MB.set(3, MB.optionsTemplate(380, scope: [(48, 1, 0)], fields: [(34, 4, 0)]))
    let tpl = MB.set(
      2,
      MB.template(381, [(8, 4, 0), (48, 1, 0)]) + MB.template(382, [(8, 4, 0), (34, 4, 0)])
        + MB.template(383, [(8, 4, 0)]))
    let (batch, _) = decode(
      [
        MB.ipfix(sets: [
          opt, MB.set(380, [7, 0, 0, 0, 100]), tpl, MB.set(381, [1, 1, 1, 1, 7]),
          MB.set(382, [1, 1, 1, 1, 0, 0, 0, 50]), MB.set(383, [1, 1, 1, 1]),
        ])
      ], decoder: &d)
    #expect(batch.ints("sampling") == [100, 50, 1])
  }

  /// Template state survives a restart: restored decoders decode data without a template.
  @Test func templateStateRoundTrip() throws {
    var d = FlowDecoder()
    let opt = MB.set(3, MB.optionsTemplate(390, scope: [(149, 4, 0)], fields: [(160, 8, 0)]))
    var o = MB()
    o.u32(1)
    o.u64(1_699_136_100_000)
    _ = decode(
      [
        MB.ipfix(sets: [
          opt, MB.set(390, o.bytes), MB.set(2, MB.template(391, [(22, 4, 0), (460, 65535, 0)])),
        ])
      ],
      decoder: &d)
    let state = d.templateState()
    var restored = FlowDecoder()
    try restored.restoreTemplateState(state)
    #expect(restored.templateCount == 2)
    #expect(restored.templateState() == state)
    let (batch, _) = decode(
      [MB.ipfix(sets: [MB.set(391, [0, 0, 0, 10, 2, 0x68, 0x69])])], decoder: &restored)
    #expect(batch.ints("time") == [1_699_136_100_010])
    #expect(batch.strings("http_host") == ["hi"])
    #expect(throws: TemplateStateError.unknownFormat) { try restored.restoreTemplateState([1, 2]) }
    #expect(throws: TemplateStateError.self) {
      try restored.restoreTemplateState(Array(state.dropLast()))
    }
  }

  /// The synthetic exporter is deterministic and decodes to the records it generated.
  @Test func syntheticExporter() {
    var a = SyntheticExporter(seed: 42)
    var b = SyntheticExporter(seed: 42)
    var d = FlowDecoder()
    var builder = FlowBatchBuilder()
    var records = 0
    for _ in 0..<50 {
      let m = a.nextDatagram(records: 30)
      #expect(m == b.nextDatagram(records: 30))
      let o = d.decode(m, exporter: exporter, receivedAt: 0, into: &builder)
      #expect(o.errors == 0 && o.heldSets == 0)
      records += o.records
    }
    #expect(records == a.recordsGenerated)
    let batch = builder.build()
    #expect(batch.strings("app").contains { $0 != nil })
    #expect(batch.strings("http_host").contains { $0 != nil })
    #expect(batch.ips("src_addr").contains { $0?.isV4 == false })
    #expect(d.statistics(for: exporter)?.sequenceGaps == 0)
  }
}
