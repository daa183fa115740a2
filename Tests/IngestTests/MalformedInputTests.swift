import Foundation
import Storage
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
}
