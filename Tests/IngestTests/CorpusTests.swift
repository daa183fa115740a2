import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// Every file of shared/data decodes without a crash, and where tshark decodes the records the
/// stored values match its reading field by field.
@Suite struct CorpusTests {
  static let rawDirectories: [String] = {
    Array(
      Set(
        SharedData.files(extensions: ["dat", "bin"]).map {
          ($0 as NSString).deletingLastPathComponent
        })
    ).sorted()
  }()
  static let captures = SharedData.files(extensions: ["pcap", "cap", "pcapng", "ipfix"])

  @Test func sharedDataIsPresent() {
    #expect(Self.rawDirectories.count >= 3, "shared data not found at \(SharedData.data.path)")
    #expect(Self.captures.count >= 20)
  }

  @Test(arguments: rawDirectories)
  func rawPayloadsMatchTShark(_ dir: String) throws {
    let files = SharedData.files(extensions: ["dat", "bin"]).filter {
      ($0 as NSString).deletingLastPathComponent == dir
    }
    let feeds = try rawFeeds(directory: dir, files: files)
    let d = decodeFeeds(feeds)
    #expect(d.batch.rowCount == d.outcomes.reduce(0) { $0 + $1.records })
    guard TSharkReading.available else { return }
    let pcap = FileManager.default.temporaryDirectory
      .appendingPathComponent(
        "ingest-\(dir.replacingOccurrences(of: "/", with: "_"))-\(getpid()).pcap"
      ).path
    try writePcap(feeds, to: pcap)
    defer { try? FileManager.default.removeItem(atPath: pcap) }
    let t = try TSharkReading.read(pcap, ports: [2055])
    let names = Dictionary(uniqueKeysWithValues: feeds.map { ($0.frame, $0.file) })
    let (mismatches, compared, eligible) = compareWithTShark(d, t, names: names)
    #expect(mismatches.isEmpty, "\(dir): \(mismatches.prefix(8).joined(separator: "\n"))")
    #expect(eligible == 0 || compared > 0, "\(dir): nothing compared with tshark")
  }

  @Test(arguments: captures)
  func capturesMatchTShark(_ rel: String) throws {
    let feeds: [Feed]
    if rel.hasSuffix(".ipfix") {
      var reader = try IPFIXFileReader(path: SharedData.path(rel))
      var list: [Feed] = []
      while let m = reader.next() {
        list.append(
          Feed(
            exporter: IPAddress(v4: 0x7F00_0001), port: 4739, payload: Array(m),
            frame: list.count + 1, time: 1_700_000_000_000, file: rel))
      }
      #expect(reader.trailingBytes == 0)
      feeds = list
    } else {
      feeds = try pcapFeeds(rel)
    }
    #expect(!feeds.isEmpty, "\(rel): no UDP datagrams found")
    let d = decodeFeeds(feeds)
    #expect(d.batch.rowCount == d.outcomes.reduce(0) { $0 + $1.records })
    guard TSharkReading.available else { return }
    let t = try TSharkReading.read(SharedData.path(rel), ports: Set(feeds.map(\.port)))
    let (mismatches, compared, eligible) = compareWithTShark(d, t)
    #expect(mismatches.isEmpty, "\(rel): \(mismatches.prefix(8).joined(separator: "\n"))")
    #expect(eligible == 0 || compared > 0, "\(rel): nothing compared with tshark")
  }
}
