import Storage
import TestSupport
import Testing

@testable import Ingest

/// Template tables under a flood: evictions within the per-address and per-domain limits (never
/// used first, then least recently used), their counts, and sequence accounting under random
/// sequence numbers.
@Suite struct TemplateEvictionTests {
  let exporter = IPAddress(v4: 0xC000_0201)
  typealias MB = MessageBuilder

  /// An IPFIX template set defining `id` (sourceIPv4Address only) in `domain`.
  func define(_ id: UInt16, domain: UInt32 = 1) -> [UInt8] {
    MB.ipfix(domain: domain, sets: [MB.set(2, MB.template(id, [(8, 4, 0)]))])
  }

  /// An IPFIX data set of `id` in `domain` with one record, source 10.0.0.`v`.
  func use(_ id: UInt16, domain: UInt32 = 1, _ v: UInt8 = 1) -> [UInt8] {
    MB.ipfix(domain: domain, sets: [MB.set(id, [10, 0, 0, v])])
  }

  /// Decodes `msgs` from ``exporter``; returns the rows decoded and held sets.
  @discardableResult
  func decode(_ msgs: [[UInt8]], _ d: inout FlowDecoder) -> (rows: Int, held: Int) {
    var b = FlowBatchBuilder()
    var held = 0
    for m in msgs { held += d.decode(m, exporter: exporter, receivedAt: 0, into: &b).heldSets }
    return (b.build().rowCount, held)
  }

  /// The template ids held for ``exporter``, sorted.
  func held(_ d: FlowDecoder) -> [UInt16] {
    d.templates.keys.filter { $0.exporter == exporter }.map(\.id).sorted()
  }

  /// Unused templates go first (the oldest defined), whatever their age against used ones;
  /// once all are used, the least recently used goes.
  @Test func evictionOrder() {
    var limits = DecoderLimits()
    limits.maxTemplatesPerExporter = 3
    var d = FlowDecoder(limits: limits)
    decode([define(400), define(401), define(402), use(401), use(400)], &d)
    // 402 is the newest, but unused.
    decode([define(403)], &d)
    #expect(held(d) == [400, 401, 403])
    // The new template is unused too: the next one evicts it, not a used one.
    decode([define(404)], &d)
    #expect(held(d) == [400, 401, 404])
    // All used: the least recently used (401, used before 400 and 404) goes.
    decode([use(404), define(405)], &d)
    #expect(held(d) == [400, 404, 405])
    // Uses reorder: 404, used before 405 and 400, goes.
    decode([use(405), use(400), define(406)], &d)
    #expect(held(d) == [400, 405, 406])
    decode([use(406), define(407)], &d)
    #expect(held(d) == [400, 406, 407])
    #expect(d.statistics(for: exporter)?.evictedTemplates == 5)
    #expect(d.limitCounters.templatesEvicted == 5)
    #expect(d.limitCounters.templatesRejected == 0)
    // The survivors still decode; the evicted ones' data is held.
    #expect(decode([use(400), use(406), use(401)], &d) == (2, 1))
  }

  /// A refresh renews a template's lifetime but is not a use: an unused template refreshed
  /// still goes before a used one; a redefinition is a new, unused template.
  @Test func refreshIsNotUse() {
    var limits = DecoderLimits()
    limits.maxTemplatesPerExporter = 2
    var d = FlowDecoder(limits: limits)
    decode([define(410), use(410), define(411), define(411), define(412)], &d)
    #expect(held(d) == [410, 412])
    let redefined = MB.ipfix(sets: [MB.set(2, MB.template(410, [(12, 4, 0)]))])
    decode([use(412), redefined, define(413)], &d)
    #expect(held(d) == [412, 413])
  }

  /// Per (address, domain): a domain at its limit evicts its own templates, not older unused
  /// ones of another domain; the address limit evicts across domains.
  @Test func domainLimit() {
    var limits = DecoderLimits()
    limits.maxTemplatesPerExporter = 4
    limits.maxTemplatesPerDomain = 2
    var d = FlowDecoder(limits: limits)
    decode([define(420, domain: 2), define(421, domain: 1), define(422, domain: 1)], &d)
    decode([define(423, domain: 1)], &d)
    let keys = { d.templates.keys.map { "\($0.domain)/\($0.id)" }.sorted() }
    #expect(keys() == ["1/422", "1/423", "2/420"])
    decode([use(422), define(424, domain: 3), define(425, domain: 3)], &d)
    // The address is full (4): the oldest unused of any domain (2/420) went.
    #expect(keys() == ["1/422", "1/423", "3/424", "3/425"])
    #expect(d.statistics(for: exporter)?.evictedTemplates == 2)
  }

  /// A flood of template sets over random domains with random sequence numbers, from the
  /// address of a real exporter whose template is in use, and a template defined during the
  /// flood and used soon after: both survive, the flood's templates evict each other, and the
  /// random sequence numbers count as resets, not as billions of lost records.
  @Test func floodKeepsTemplatesInUse() {
    var d = FlowDecoder()
    let limit = d.limits.maxTemplatesPerExporter
    decode([define(430, domain: 7), use(430, domain: 7)], &d)
    var flood = TemplateFlood(seed: 21, domains: 1_000)
    decode(flood.datagrams(limit), &d)
    // A new template is evicted only after the unused ones defined before it.
    decode([define(431, domain: 8)], &d)
    decode(flood.datagrams(limit / 4), &d)
    #expect(decode([use(431, domain: 8)], &d) == (1, 0))
    decode(flood.datagrams(3 * limit), &d)
    #expect(decode([use(430, domain: 7), use(431, domain: 8)], &d) == (2, 0))
    let s = d.statistics(for: exporter)!
    #expect(d.templateCount == limit)
    let floodTemplates = flood.sent * TemplateFlood.templatesPerSet
    #expect(s.evictedTemplates == floodTemplates + 2 - limit)
    #expect(s.templatesRejected == 0)
    // Every flood message to a domain already seen jumps at random: beyond the window but
    // for a chance of 1 in 32,768 (a gap, or a late message if back).
    let repeats = flood.sent - flood.domainsUsed
    #expect(s.sequenceResets <= repeats && s.sequenceResets >= repeats - 2)
    #expect(s.sequenceGaps <= 2)
    #expect(s.lost <= UInt64(s.sequenceGaps) * UInt64(FlowDecoder.sequenceWindow))
  }

  /// A flood over 5,000 random domains keeps at most ``DecoderLimits/maxDomainStates``
  /// domain states, and a real exporter's domain still counts its gaps afterwards.
  @Test func floodOfDomainsIsBounded() {
    var limits = DecoderLimits()
    limits.maxDomainStates = 300
    var d = FlowDecoder(limits: limits)
    var flood = TemplateFlood(seed: 5, domains: 5_000)
    decode(flood.datagrams(4_000), &d)
    #expect(flood.domainsUsed > 1_000)
    #expect(d.domains.count <= 300)
    #expect(decode([define(440, domain: 9), use(440, domain: 9)], &d) == (1, 0))
  }

  /// Sequence numbers: a jump forward within the window is a gap of that many lost units; a
  /// jump beyond it, forward or back, is a reset; a step back within it is a late message.
  @Test func sequenceResetRule() {
    var d = FlowDecoder()
    let window = FlowDecoder.sequenceWindow
    let tpl = MB.set(2, MB.template(440, [(8, 4, 0)]))
    let rec = MB.set(440, [1, 1, 1, 1, 2, 2, 2, 2])  // two records
    var b = FlowBatchBuilder()
    let outcomes = [
      MB.ipfix(sequence: 0, sets: [tpl, rec]),  // expects 2 next
      MB.ipfix(sequence: 5, sets: [rec]),  // gap: 3 lost; expects 7
      MB.ipfix(sequence: 7 + window, sets: [rec]),  // a gap of exactly the window
      MB.ipfix(sequence: 9 + 2 * window + 1, sets: [rec]),  // one past it: reset
      MB.ipfix(sequence: 5, sets: [rec]),  // back far beyond the window: reset (restart)
      MB.ipfix(sequence: 3, sets: [rec]),  // back within it: late, nothing counted
      MB.ipfix(sequence: 5, sets: [rec]),  // as expected after the late one
      MB.ipfix(sequence: 0xFFFF_FFF0, sets: [rec]),  // 2^32 - 23 ahead: back 23, late
      MB.ipfix(sequence: 0xFFFF_FFF2 &+ 100, sets: [rec]),  // wraps: a gap of 100
    ].map { d.decode($0, exporter: exporter, receivedAt: 0, into: &b) }
    #expect(outcomes.map(\.sequenceGaps) == [0, 1, 1, 0, 0, 0, 0, 0, 1])
    #expect(outcomes.map(\.sequenceResets) == [0, 0, 0, 1, 1, 0, 0, 0, 0])
    let s = d.statistics(for: exporter)!
    #expect(s.sequenceGaps == 3 && s.sequenceResets == 2)
    #expect(s.lost == 3 + UInt64(window) + 100)
    #expect(b.build().rowCount == 18)
  }

  /// The exporter report persists evictions and resets; a report saved before they were
  /// counted (12 fields) still reads, with zeros for them.
  @Test func reportKeepsOldFormReadable() {
    var r = ExporterReport()
    r.records = 6_056
    r.lastSeen = 1_700_000_000_123
    r.evictedTemplates = 8_192
    r.sequenceResets = 3_000
    #expect(ExporterReport(encoded: r.encoded()) == r)
    var old = Array("FSEX".utf8) + [1, 12]
    for v in [5, 6_056, 0, 2, 0, 1, 7, 0, 0, 0, 0, 1_700_000_000_123] as [UInt64] {
      withUnsafeBytes(of: v.bigEndian) { old += $0 }
    }
    let read = ExporterReport(encoded: old)
    #expect(read?.records == 6_056 && read?.lost == 7 && read?.lastSeen == 1_700_000_000_123)
    #expect(read?.evictedTemplates == 0 && read?.sequenceResets == 0)
  }

  /// Saved template state keeps which templates were used, so a flood after a restart still
  /// evicts the unused ones first.
  @Test func restoredTemplatesKeepUse() throws {
    var limits = DecoderLimits()
    limits.maxTemplatesPerExporter = 2
    var d = FlowDecoder(limits: limits)
    decode([define(450), use(450), define(451)], &d)
    var restored = FlowDecoder(limits: limits)
    try restored.restoreTemplateState(d.templateState())
    decode([define(452)], &restored)
    #expect(held(restored) == [450, 452])
  }
}
