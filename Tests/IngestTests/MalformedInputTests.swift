import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// The known-malformed fixtures are rejected and counted, never decoded into rows.
@Suite struct MalformedInputTests {
  func decodeFile(_ rel: String) throws -> (DecodeOutcome, FlowDecoder) {
    var decoder = FlowDecoder()
    var builder = FlowBatchBuilder()
    let o = decoder.decode(
      try SharedData.bytes(rel), exporter: IPAddress(v4: 1), receivedAt: 0, into: &builder)
    #expect(builder.count == o.records)
    return (o, decoder)
  }

  @Test(arguments: [
    ("logstash-codec-netflow/netflow5_test_invalid01.dat", DecodeError.badRecordCount(55582)),
    ("logstash-codec-netflow/netflow5_test_invalid02.dat", DecodeError.badRecordCount(163)),
    ("python-netflow-v9-softflowd/PACKET_INVALID.bin", DecodeError.unsupportedVersion(0xFFFF)),
  ])
  func rejected(_ rel: String, _ error: DecodeError) throws {
    let (o, decoder) = try decodeFile(rel)
    #expect(o.records == 0)
    #expect(o.firstError == error)
    #expect(decoder.statistics(for: IPAddress(v4: 1))?.decodeErrors == 1)
  }

  /// PITFALLS 15: Juniper vMX sends the whole v9 packet little-endian; it is counted, not read.
  @Test func littleEndianJuniperIsCounted() throws {
    let feeds = try pcapFeeds("packetlife-backup/nf9-juniper-vmx.pcapng.cap")
    #expect(!feeds.isEmpty)
    let d = decodeFeeds(feeds)
    #expect(d.batch.rowCount == 0)
    #expect(d.outcomes.allSatisfy { $0.firstError == .unsupportedVersion(0x0900) })
  }

  /// The truncated/garbage v9 fixture does not crash; what decodes is consistent.
  @Test func invalidV9DoesNotCrash() throws {
    let (o, _) = try decodeFile("logstash-codec-netflow/netflow9_test_invalid01.dat")
    #expect(o.version == 9)
  }

  /// Every prefix of every raw fixture decodes without trapping, and errors are counted.
  @Test func truncationsNeverCrash() throws {
    for rel in SharedData.files(extensions: ["dat", "bin"]) {
      let bytes = try SharedData.bytes(rel)
      var decoder = FlowDecoder()
      var builder = FlowBatchBuilder()
      for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 64)) {
        let o = decoder.decode(
          Array(bytes[..<cut]), exporter: IPAddress(v4: 2), receivedAt: 0, into: &builder)
        if cut < 4 { #expect(o.errors == 1) }
      }
    }
  }

  /// A hostile samplingPacketInterval + samplingPacketSpace (found by the fuzzer) saturates
  /// instead of overflowing.
  @Test func samplingSpaceOverflowSaturates() {
    typealias MB = MessageBuilder
    let opt = MB.set(
      3, MB.optionsTemplate(390, scope: [(149, 4, 0)], fields: [(305, 8, 0), (306, 8, 0)]))
    var d = MB()
    d.u32(1)
    d.u64(2)
    d.u64(UInt64.max)
    let tpl = MB.set(2, MB.template(391, [(8, 4, 0), (1, 4, 0)]))
    let data = MB.set(391, [10, 0, 0, 1, 0, 0, 0, 9])
    var decoder = FlowDecoder()
    var builder = FlowBatchBuilder()
    let o = decoder.decode(
      MB.ipfix(sets: [opt, MB.set(390, d.bytes), tpl, data]), exporter: IPAddress(v4: 3),
      receivedAt: 0, into: &builder)
    #expect(o.errors == 0)
    #expect(builder.build().ints("sampling") == [UInt64(UInt32.max)])
  }
}

/// The uptime anchoring of a system init time from the wire (found by the fuzzer: a hostile
/// `systemInitTimeMilliseconds` overflowed `base + uptime` and trapped).
@Suite struct UptimeAnchorTests {
  @Test func anchorUnwrapsPlausibleTimes() {
    #expect(FlowDecoder.anchor(1000, 500, 2000) == 1500)
    // An uptime counter that wrapped once (2^32 ms) before the export.
    #expect(FlowDecoder.anchor(0, 10, (1 << 32) + (1 << 31) + 100) == (1 << 33) + 10)
  }

  @Test func anchorNeverTrapsOnHostileValues() {
    let extremes: [Int64] = [.min, .min + 1, -1, 0, 1, 1 << 40, .max - 1, .max]
    for base in extremes {
      for export in extremes {
        for uptime: UInt32 in [0, 1, .max] {
          let t = FlowDecoder.anchor(base, uptime, export)
          // Without a plausible span the time is base + uptime, wrapped.
          if export &- base < 0 || export &- base >= 1 << 40 {
            #expect(t == base &+ Int64(uptime))
          }
        }
      }
    }
  }
}
