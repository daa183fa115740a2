import Foundation
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Collector
@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

/// The collector end to end over a real UDP socket on 127.0.0.1: datagrams in, rows read back
/// with ``StoreReader``, compared with an independent reading of what was sent.
@Suite(.serialized)
struct CollectorTests {
  static func generate(_ records: Int, seed: UInt64, perDatagram: Int = 30) -> [[UInt8]] {
    var g = SyntheticExporter(seed: seed)
    var out: [[UInt8]] = []
    var left = records
    while left > 0 {
      let n = min(perDatagram, left)
      out.append(g.nextDatagram(records: n))
      left -= n
    }
    return out
  }

  @Test(
    .enabled(if: which("tshark") != nil, "tshark is not installed: apt-get install tshark"))
  func generatedStreamIsStoredExactly() async throws {
    let dir = temporaryDirectoryURL("collector-e2e")
    defer { try? FileManager.default.removeItem(at: dir) }
    let datagrams = Self.generate(20_000, seed: 42)
    let summary = try await runCollector(
      directory: dir.path, expectDatagrams: datagrams.count
    ) { port in
      UDPSender(port: port).send(datagrams)
    }
    #expect(summary.received == UInt64(datagrams.count))
    #expect(summary.dropped == 0)

    let truth = try tsharkTotals(datagrams, directory: dir)
    #expect(truth.records == 20_000)
    let stored = FlowTotals(try storedFlows(dir.path))
    #expect(stored.flows == truth.records)
    #expect(stored.bytes == truth.bytes)
    #expect(stored.packets == truth.packets)

    let saved = try PersistedState.read(directory: dir.path)
    #expect(saved.exporters.count == 1)
    #expect(saved.exporters.first?.address == IPAddress(v4: 0x7F00_0001))
    #expect(saved.exporters.first?.report.records == 20_000)
    #expect(saved.exporters.first?.report.datagrams == UInt64(datagrams.count))
    #expect(saved.exporters.first?.report.sequenceGaps == 0)
    #expect(saved.summary?.rowsStored == 20_000)
  }

  /// Datagrams the kernel drops because the socket buffer is full are counted: with a buffer
  /// of a few datagrams and a burst sent without pauses, every datagram sent is either received
  /// or counted as a kernel drop, and the count is the kernel's own (`/proc/net/udp`). The
  /// first drops are reported in one line (later ones at most every 10 s).
  @Test func kernelDropsAreCounted() async throws {
    let dir = temporaryDirectoryURL("collector-drops")
    defer { try? FileManager.default.removeItem(at: dir) }
    let datagrams = Self.generate(60_000, seed: 9)
    var kernel: Int?
    let lines = Mutex<[String]>([])
    let summary = try await runCollector(
      directory: dir.path, configure: { $0.receiveBufferBytes = 16 << 10 },
      expectDatagrams: datagrams.count, settle: true,
      log: { line in lines.withLock { $0.append(line) } }
    ) { port in
      UDPSender(port: port).send(datagrams, pauseEvery: .max)
    } whileRunning: { port in
      kernel = procUDPDrops(port: port)
    }
    let drops = try #require(kernel, "the socket is not in /proc/net/udp")
    #expect(drops > 0, "no drops: the burst did not overflow the buffer")
    #expect(summary.socketDrops == UInt64(drops))
    #expect(summary.received + summary.socketDrops == UInt64(datagrams.count), "\(summary)")
    let saved = try PersistedState.read(directory: dir.path)
    #expect(saved.summary?.socketDrops == UInt64(drops))
    let notices = lines.withLock { $0 }.filter { $0.contains("the kernel dropped") }
    #expect(notices.count == 1, "\(notices)")
    #expect(notices.first?.contains("on 127.0.0.1:") == true, "\(notices)")
    #expect(notices.first?.contains("--receive-buffer") == true, "\(notices)")
  }

  /// Templates saved by one run decode the data of the next before any template refresh.
  @Test func templatesSurviveRestart() async throws {
    let dir = temporaryDirectoryURL("collector-restart")
    defer { try? FileManager.default.removeItem(at: dir) }
    let datagrams = Self.generate(600, seed: 7)  // 20 datagrams, templates only in the first
    _ = try await runCollector(directory: dir.path, expectDatagrams: 1) { port in
      UDPSender(port: port).send([datagrams[0]])
    }
    let rest = Array(datagrams[1...])
    let second = try await runCollector(directory: dir.path, expectDatagrams: rest.count) {
      port in UDPSender(port: port).send(rest)
    }
    #expect(second.rowsStored == 570)
    #expect(FlowTotals(try storedFlows(dir.path)).flows == 600)
    let report = try #require(try PersistedState.read(directory: dir.path).exporters.first)
    #expect(report.report.heldSets == 0)
    #expect(report.report.droppedSets == 0)
    #expect(report.report.records == 600)  // counts run across restarts
    #expect(report.report.datagrams == 20)
  }

  /// Senders outside `--allow` are counted and ignored.
  @Test func allowListRejectsOtherSenders() async throws {
    let dir = temporaryDirectoryURL("collector-allow")
    defer { try? FileManager.default.removeItem(at: dir) }
    let datagrams = Self.generate(300, seed: 3)
    let summary = try await runCollector(
      directory: dir.path, configure: { $0.allow = [AddressRange("10.0.0.0/8")!] },
      expectDatagrams: datagrams.count
    ) { port in UDPSender(port: port).send(datagrams) }
    #expect(summary.received == UInt64(datagrams.count))
    #expect(summary.rejected == UInt64(datagrams.count))
    #expect(summary.rowsStored == 0)
    #expect(try storedFlows(dir.path).reduce(0) { $0 + $1.rowCount } == 0)
  }

  /// Garbage and oversize datagrams are counted, never crash the collector, and good data
  /// after them is stored. Every datagram received is accounted for.
  @Test func hostileDatagramsAreCountedAndSurvived() async throws {
    let dir = temporaryDirectoryURL("collector-hostile")
    defer { try? FileManager.default.removeItem(at: dir) }
    var rng = SystemRandomNumberGenerator()
    var garbage: [[UInt8]] = []
    for i in 0..<300 {
      var d = (0..<Int.random(in: 0...1400, using: &rng)).map { _ in UInt8.random(in: 0...255) }
      if i % 3 == 0, d.count >= 4 {
        d[0] = 0
        d[1] = UInt8([5, 9, 10][i % 9 / 3])
      }
      garbage.append(d)
    }
    garbage.append([UInt8](repeating: 0, count: 3000))  // longer than --max-datagram below
    let good = Self.generate(3000, seed: 11, perDatagram: 10)  // < 2000 bytes each
    let summary = try await runCollector(
      directory: dir.path, configure: { $0.maxDatagramBytes = 2000 },
      expectDatagrams: garbage.count + good.count
    ) { port in
      let s = UDPSender(port: port)
      s.send(garbage)
      s.send(good)
    }
    #expect(summary.received == UInt64(garbage.count + good.count))
    #expect(summary.oversize == 1, "\(summary)")
    let report = try #require(try PersistedState.read(directory: dir.path).exporters.first)
    #expect(report.report.decodeErrors > 0)
    #expect(report.report.datagrams == UInt64(garbage.count + good.count))
    // Good data decodes; its template came after the garbage. A garbage IPFIX-looking datagram
    // may carry a record that happens to parse, so stored rows are at least the good ones.
    #expect(summary.rowsStored >= 3000, "\(report)")
  }

  /// The queue refuses what does not fit and the refusal is counted, datagram by datagram.
  @Test func queueBoundsAreEnforced() {
    let q = DatagramQueue(maxDatagrams: 3, maxBytes: 100)
    var c = DatagramChunk()
    [UInt8](repeating: 1, count: 10).withUnsafeBytes { b in
      c.append(b, from: .zero)
      c.append(b, from: .zero)
    }
    #expect(q.offer(c))
    #expect(!q.offer(c))  // 4 datagrams > 3
    var big = DatagramChunk()
    [UInt8](repeating: 1, count: 200).withUnsafeBytes { big.append($0, from: .zero) }
    #expect(!q.offer(big))  // bytes bound
    let counters = CollectorCounters(maxSenders: 1)
    counters.dropped(c)
    counters.dropped(big)
    #expect(counters.snapshot.dropped[.zero] == 3)
    var taken: [DatagramChunk] = []
    #expect(!q.take(into: &taken, timeout: 0))
    #expect(taken.count == 1 && taken[0].count == 2)
    taken.removeAll()
    q.close()
    #expect(!q.offer(c))
    #expect(q.take(into: &taken, timeout: 0))
  }

  @Test func listenAndAllowParsing() {
    #expect(ListenAddress("0.0.0.0:2055") == ListenAddress(host: "0.0.0.0", port: 2055))
    #expect(ListenAddress("[::]:4739") == ListenAddress(host: "::", port: 4739))
    #expect(ListenAddress("[::1]:4739")?.description == "[::1]:4739")
    for bad in ["2055", "::1:2055", "1.2.3.4:70000", "[::1]2055", ":2055", "1.2.3.4:"] {
      #expect(ListenAddress(bad) == nil, "\(bad)")
    }
    let r = AddressRange("10.1.0.0/16")!
    #expect(r.contains(IPAddress("10.1.200.3")!))
    #expect(!r.contains(IPAddress("10.2.0.1")!))
    #expect(!r.contains(IPAddress("::a01:1")!))
    #expect(AddressRange("2001:db8::/32")!.contains(IPAddress("2001:db8:ffff::1")!))
    #expect(AddressRange("0.0.0.0/0")!.contains(IPAddress("192.0.2.1")!))
    #expect(!AddressRange("0.0.0.0/0")!.contains(IPAddress("2001:db8::1")!))
    #expect(AddressRange("192.0.2.7")!.contains(IPAddress("192.0.2.7")!))
    for bad in ["10.0.0.0/33", "10.0.0/8", "x", "::/129"] {
      #expect(AddressRange(bad) == nil, "\(bad)")
    }
  }

  @Test func reportEncodingRoundTrips() {
    var r = ExporterReport()
    r.datagrams = 5
    r.records = 1 << 40
    r.queueDrops = 3
    r.lastSeen = 1_700_000_000_123
    #expect(ExporterReport(encoded: r.encoded()) == r)
    #expect(ExporterReport(encoded: Array(r.encoded().dropLast())) == nil)
    #expect(ExporterReport(encoded: [1, 2, 3]) == nil)
  }
}
