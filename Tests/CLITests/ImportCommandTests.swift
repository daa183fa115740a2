import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// `flowstore import` as a user runs it: the built binary on public captures, compared with
/// tshark's reading; and the one-line failure when a writer holds the directory.
@Suite(.serialized)
struct ImportCommandTests {
  /// The `flowstore` binary built beside the test bundle.
  static let binary = flowstoreBinary

  static func flowstore(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    try runFlowstore(args)
  }

  /// Captures whose records tshark decodes completely (templates inside the capture).
  static let captures = [
    ("scapy/netflowv9.pcap", UInt16(2055)), ("scapy/ipfix.pcap", UInt16(9995)),
  ]

  @Test(
    .enabled(if: binary != nil, "the flowstore binary is not built beside the tests"),
    .enabled(if: which("tshark") != nil, "tshark is not installed: apt-get install tshark"),
    arguments: captures)
  func importStoresWhatTsharkShows(_ capture: (String, UInt16)) throws {
    let (rel, port) = capture
    let file = SharedData.path(rel)
    try #require(FileManager.default.fileExists(atPath: file), "missing shared capture \(file)")
    let dir = temporaryDirectoryURL("import-cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try Self.flowstore(["import", file, "--data", dir.path, "--port", "\(port)"])
    #expect(r.status == 0, "\(r.err)")

    let (_, out) = try run(
      which("tshark")!,
      [
        "-r", file, "-d", "udp.port==\(port),cflow", "-T", "fields", "-E", "occurrence=a", "-E",
        "aggregator=|", "-e", "cflow.octets", "-e", "cflow.packets",
      ])
    var records = 0
    var bytes: UInt64 = 0
    for line in out.split(separator: "\n") {
      let octets = line.split(separator: "\t", omittingEmptySubsequences: false).first ?? ""
      let values = octets.split(separator: "|").compactMap { UInt64($0) }
      records += values.count
      bytes += values.reduce(0, +)
    }
    #expect(records > 0)
    let stored = FlowTotals(try storedFlows(dir.path))
    #expect(stored.flows == records)
    #expect(stored.bytes == bytes)
    #expect(r.out.contains("imported \(records) flows"), "\(r.out)")
  }

  @Test(.enabled(if: binary != nil, "the flowstore binary is not built beside the tests"))
  func importFailsClearlyWhenLocked() throws {
    let dir = temporaryDirectoryURL("import-locked")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try FlowStore(directory: dir.path)
    defer { try? store.close() }
    let r = try Self.flowstore([
      "import", SharedData.path("scapy/netflowv9.pcap"), "--data", dir.path,
    ])
    #expect(r.status == 1)
    #expect(r.err.contains("is locked by another writer"), "\(r.err)")
    #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
  }

  @Test(.enabled(if: binary != nil, "the flowstore binary is not built beside the tests"))
  func importRejectsOtherFiles() throws {
    let dir = temporaryDirectoryURL("import-bad")
    defer { try? FileManager.default.removeItem(at: dir) }
    let junk = dir.appendingPathComponent("junk.bin").path
    try Data("hello world".utf8).write(to: URL(fileURLWithPath: junk))
    let r = try Self.flowstore(["import", junk, "--data", dir.appendingPathComponent("d").path])
    #expect(r.status == 1)
    #expect(r.err.contains("neither a pcap/pcapng capture nor an IPFIX file"), "\(r.err)")
  }

  /// Arguments that `serve` and `generate` refuse in their validation read as one line naming
  /// the flag and the value (not the error's case), and exit non-zero before anything starts.
  @Test(.enabled(if: binary != nil, "the flowstore binary is not built beside the tests"))
  func argumentErrorsReadAsOneLine() throws {
    let dir = temporaryDirectoryURL("serve-args")
    defer { try? FileManager.default.removeItem(at: dir) }
    for (args, message) in [
      (
        ["serve", "--data", dir.path, "--encode-threads", "0"],
        "--encode-threads must be at least 1, not 0"
      ),
      (
        ["serve", "--data", dir.path, "--max-fields", "0"], "--max-fields must be at least 1, not 0"
      ),
    ] {
      let r = try Self.flowstore(args)
      #expect(r.status != 0, "\(args)")
      #expect(r.err.contains(message), "\(r.err)")
      #expect(!r.err.contains("badInput"), "\(r.err)")
      #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
    }
  }
}
