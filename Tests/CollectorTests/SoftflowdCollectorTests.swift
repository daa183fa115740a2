import Foundation
import Storage
import TestSupport
import Testing

@testable import Collector
@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

/// softflowd (Debian) exports the committed capture as NetFlow v5, v9 and IPFIX to nfcapd
/// (Debian nfdump), which stores them and repeats every datagram (`-R`) to our collector over
/// UDP. Totals of flows, packets and bytes, and per (protocol, port) sums, read from the store
/// with ``StoreReader`` must equal `nfdump -r`'s.
///
/// softflowd, nfcapd and nfdump are started with ``Child`` (posix_spawn, empty signal mask,
/// waitpid): under Foundation's `Process` they inherit the test runner's blocked signals (so
/// SIGTERM does nothing) and `Process`, which relies on SIGCHLD, may never see them exit.
@Suite(
  .enabled(
    if: ["softflowd", "nfcapd", "nfdump"].allSatisfy { which($0) != nil },
    "softflowd or nfdump (nfcapd) is not installed: apt-get install softflowd nfdump"),
  .serialized)
struct SoftflowdCollectorTests {
  /// Packets of the capture softflowd accounts for: all 306 for v9 and IPFIX; NetFlow v5
  /// carries only IPv4, so softflowd (without -6) skips the 102 IPv6 packets.
  static func expectedProcessed(_ version: Int) -> Int { version == 5 ? 204 : 306 }

  /// What softflowd reported on exit and what nfcapd repeated to the collector.
  struct Export {
    /// "Packets processed: N"
    var processed = -1
    /// "Flows exported: F (R records) in D packets (E failures)"
    var flows = -1
    var datagrams = -1
    var failures = -1
    /// The collector's received count when the export was over.
    var received: UInt64 = 0
  }

  /// A UDP port free on 127.0.0.1 right now.
  static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        _ = bind(fd, $0, len)
        return getsockname(fd, $0, &len)
      }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// True once a socket is bound to UDP 127.0.0.1:`port` (per /proc/net/udp).
  static func udpBound(_ port: Int) -> Bool {
    let table = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
    let local = String(format: "0100007F:%04X", port)
    return table.split(separator: "\n").contains {
      $0.split(separator: " ").dropFirst().first.map(String.init) == local
    }
  }

  /// Checks `condition` every 50 ms for at most `seconds`; returns whether it held.
  static func poll(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
      if ContinuousClock.now >= deadline { return false }
      try await Task.sleep(for: .milliseconds(50))
    }
    return true
  }

  /// The integers in `line`, in order.
  static func numbers(_ line: Substring?) -> [Int] {
    (line ?? "").split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
  }

  /// Runs nfcapd (writing to `nfdir`, repeating to `collector`) and softflowd over `capture`
  /// until softflowd has exported everything, the collector has received every datagram
  /// softflowd sent and nfcapd has stopped (and so closed its file). Every wait is bounded;
  /// both children are killed whatever happens.
  /// `received` is the collector's count before the export: the export's datagrams are those
  /// above it.
  static func export(
    version: Int, capture: String, dir: URL, nfdir: URL, collector: Collector, port: Int,
    received before: UInt64 = 0
  ) async throws -> Export {
    let nfPort = freePort()
    var nfcapd = try Child(
      which("nfcapd")!,
      ["-b", "127.0.0.1", "-p", "\(nfPort)", "-w", nfdir.path, "-R", "127.0.0.1/\(port)"])
    defer { nfcapd.stop(SIGKILL, seconds: 2) }
    let listening = try await poll(seconds: 10) { udpBound(nfPort) || !nfcapd.isRunning() }
    try #require(listening && nfcapd.isRunning(), "nfcapd is not listening on \(nfPort)")

    // No control socket (-c): softflowd 1.1's main loop tests the control socket's poll result
    // without polling when it reads a file, so with one it may block in accept() before
    // reading a packet. (-r alone leaves it without one; -p keeps it off /var/run's pid file.)
    let report = dir.appendingPathComponent("softflowd.out").path
    var softflowd = try Child(
      which("softflowd")!,
      [
        "-r", capture, "-n", "127.0.0.1:\(nfPort)", "-v", "\(version)", "-d",
        "-p", dir.appendingPathComponent("softflowd.pid").path,
      ],
      output: report, errors: report + ".err")
    defer { softflowd.stop(SIGKILL, seconds: 2) }
    // softflowd shuts down by itself at the end of the capture (flushing every flow) and
    // prints its statistics.
    let exited = try await poll(seconds: 20) { !softflowd.isRunning() }
    let errors = (try? String(contentsOfFile: report + ".err", encoding: .utf8)) ?? ""
    try #require(exited, "softflowd did not exit after the capture: \(errors)")
    #expect(softflowd.status == 0, "softflowd exit status \(softflowd.status ?? -1)")

    let lines = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
      .split(separator: "\n")
    var result = Export()
    result.processed =
      numbers(lines.first { $0.hasPrefix("Packets processed:") }).first ?? -1
    let exported = numbers(lines.first { $0.hasPrefix("Flows exported:") })
    try #require(exported.count == 4, "softflowd's report: \(lines)\n\(errors)")
    (result.flows, result.datagrams, result.failures) = (exported[0], exported[2], exported[3])

    // nfcapd repeats each datagram it receives; on localhost none is lost, so wait for all.
    let repeated = try await poll(seconds: 10) {
      collector.datagramsReceived >= before + UInt64(result.datagrams)
    }
    result.received = collector.datagramsReceived - before
    #expect(repeated, "collector got \(result.received) of \(result.datagrams) datagrams")
    let nfcapdStopped = nfcapd.stop(SIGTERM, seconds: 10)
    #expect(nfcapdStopped, "nfcapd did not stop on SIGTERM")
    return result
  }

  /// Totals of the flows nfcapd stored in `nfdir`, as `nfdump -R` reads them.
  static func nfdumpTotals(_ nfdir: URL) throws -> FlowTotals {
    let (finished, out) = try spawnRun(
      which("nfdump")!, ["-R", nfdir.path, "-q", "-N", "-o", "fmt:%pr|%dp|%pkt|%byt"])
    #expect(finished, "nfdump did not finish")
    var theirs = FlowTotals()
    let protoNumbers = ["TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58]
    for line in out.split(separator: "\n") {
      let f = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard f.count == 4, let p = UInt64(f[1]), let k = UInt64(f[2]), let b = UInt64(f[3]) else {
        continue
      }
      let pr = UInt64(protoNumbers[f[0]] ?? Int(f[0]) ?? -1)
      theirs.add(proto: pr, port: p, packets: k, bytes: b)
    }
    return theirs
  }

  /// Runs `body` with a collector on 127.0.0.1 (system-chosen port) over a new store in
  /// `store`, then stops the collector and closes the store, whatever `body` does. Returns what
  /// `body` returned and the collector's final summary.
  static func withCollector<T>(
    store: String, _ body: (Collector, Int) async throws -> T
  ) async throws -> (T, CollectorSummary) {
    var config = CollectorConfiguration()
    config.listen = [ListenAddress(host: "127.0.0.1", port: 0)]
    config.receiveBufferBytes = 8 << 20
    config.statisticsInterval = 0.2
    let flowStore = try FlowStore(directory: store)
    let collector = Collector(store: flowStore, configuration: config)
    let result: T
    do {
      result = try await body(collector, try await collector.start()[0].port)
    } catch {
      await collector.stop()
      try? flowStore.close()
      throw error
    }
    let summary = await collector.stop()
    try flowStore.close()
    return (result, summary)
  }

  @Test(.timeLimit(.minutes(1)), arguments: [5, 9, 10])
  func storeMatchesNfdump(_ version: Int) async throws {
    let capture = SharedData.fixtures.appendingPathComponent("softflowd-capture.pcap").path
    let dir = temporaryDirectoryURL("collector-softflowd-\(version)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let nfdir = dir.appendingPathComponent("nfcapd")
    try FileManager.default.createDirectory(at: nfdir, withIntermediateDirectories: true)
    let store = dir.appendingPathComponent("store").path

    let (sent, summary) = try await Self.withCollector(store: store) { collector, port in
      try await Self.export(
        version: version, capture: capture, dir: dir, nfdir: nfdir, collector: collector,
        port: port)
    }

    #expect(sent.processed == Self.expectedProcessed(version))
    #expect(sent.flows > 0 && sent.failures == 0)
    #expect(sent.received == UInt64(sent.datagrams))
    #expect(summary.received == UInt64(sent.datagrams))
    #expect(summary.dropped == 0 && summary.rejected == 0 && summary.rowsLost == 0)
    #expect(summary.rowsStored == UInt64(sent.flows))

    let ours = FlowTotals(try storedFlows(store))
    let theirs = try Self.nfdumpTotals(nfdir)
    #expect(theirs.flows == sent.flows, "nfdump read \(theirs.flows) of \(sent.flows) flows")
    #expect(ours == theirs, "store: \(ours)\nnfdump: \(theirs)")
    let report = try #require(try PersistedState.read(directory: store).exporters.first)
    #expect(report.report.decodeErrors == 0)
    #expect(report.report.records == UInt64(ours.flows))
  }

  /// Issue 21: a hostile sender floods template sets over a thousand random observation domains
  /// with random sequence numbers from 127.0.0.1, filling the address's template table (2,048)
  /// three times over; then softflowd's IPFIX stream arrives from the same address (through
  /// nfcapd). Every one of its flows is stored (totals equal nfdump's), the flood's templates
  /// were evicted, and its sequence numbers count as resets, not lost records.
  @Test(.timeLimit(.minutes(1)))
  func floodDoesNotSilenceARealExporter() async throws {
    let capture = SharedData.fixtures.appendingPathComponent("softflowd-capture.pcap").path
    let dir = temporaryDirectoryURL("collector-flood")
    defer { try? FileManager.default.removeItem(at: dir) }
    let nfdir = dir.appendingPathComponent("nfcapd")
    try FileManager.default.createDirectory(at: nfdir, withIntermediateDirectories: true)
    let store = dir.appendingPathComponent("store").path

    let limit = DecoderLimits().maxTemplatesPerExporter
    var flood = TemplateFlood(seed: 2_021, domains: 1_000)
    let floodDatagrams = flood.datagrams(3 * limit / TemplateFlood.templatesPerSet)
    var floodReceived: UInt64 = 0
    let (sent, summary) = try await Self.withCollector(store: store) { collector, port in
      UDPSender(port: port).send(floodDatagrams)
      // Until all arrived, or (should the kernel drop some) the count has not moved for 2 s: on
      // a busy machine (tests run in parallel) the collector may pause longer than 0.5 s, and a
      // flood datagram counted after this point would be taken for one of softflowd's.
      var (last, still) = (UInt64.max, 0)
      _ = try await Self.poll(seconds: 20) {
        let now = collector.datagramsReceived
        (still, last) = (now == last ? still + 1 : 0, now)
        return now >= UInt64(floodDatagrams.count) || still >= 40
      }
      floodReceived = collector.datagramsReceived
      try #require(
        floodReceived * UInt64(TemplateFlood.templatesPerSet) >= 2 * UInt64(limit),
        "collector got \(floodReceived) of \(floodDatagrams.count) flood datagrams")
      return try await Self.export(
        version: 10, capture: capture, dir: dir, nfdir: nfdir, collector: collector, port: port,
        received: floodReceived)
    }

    #expect(sent.flows > 0 && sent.failures == 0)
    // At least softflowd's datagrams: a flood datagram the collector counted late lands here
    // too (it carries templates only, so the rows below are unaffected).
    #expect(sent.received >= UInt64(sent.datagrams))
    #expect(summary.dropped == 0 && summary.rowsLost == 0)
    #expect(summary.rowsStored == UInt64(sent.flows))
    let ours = FlowTotals(try storedFlows(store))
    let theirs = try Self.nfdumpTotals(nfdir)
    #expect(theirs.flows == sent.flows, "nfdump read \(theirs.flows) of \(sent.flows) flows")
    #expect(ours == theirs, "store: \(ours)\nnfdump: \(theirs)")

    let report = try #require(try PersistedState.read(directory: store).exporters.first).report
    #expect(report.records == UInt64(sent.flows))
    #expect(report.decodeErrors == 0)
    let floodTemplates = floodReceived * UInt64(TemplateFlood.templatesPerSet)
    #expect(report.evictedTemplates >= floodTemplates - UInt64(limit))
    // A flood datagram the kernel dropped takes one reset away at most.
    let repeats = UInt64(flood.sent - flood.domainsUsed)
    let floodLost = UInt64(floodDatagrams.count) - floodReceived
    #expect(report.sequenceResets + floodLost + 2 >= repeats)
    #expect(report.lost <= report.sequenceGaps * UInt64(FlowDecoder.sequenceWindow))
  }
}
