import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

/// softflowd (Debian) exports a committed capture as NetFlow v5, v9 and IPFIX; nfcapd (Debian
/// nfdump) receives the same datagrams and repeats them (`-R`) to this test's UDP socket. Flow
/// count, packet and byte totals, and per-port sums from nfdump must equal our decode.
@Suite(
  .enabled(
    if: ["softflowd", "nfcapd", "nfdump"].allSatisfy { which($0) != nil },
    "softflowd or nfdump (nfcapd) is not installed: apt-get install softflowd nfdump"),
  .serialized)
struct SoftflowdTests {
  /// A UDP socket on 127.0.0.1 with an ephemeral port.
  final class Receiver {
    let fd: Int32
    let port: UInt16
    init() throws {
      let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_addr.s_addr = inet_addr("127.0.0.1")
      addr.sin_port = 0
      var size = Int32(8 << 20)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4)
      var tv = timeval(tv_sec: 0, tv_usec: 300_000)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
      let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard rc == 0 else {
        close(fd)
        throw POSIXError(.EADDRINUSE)
      }
      var len = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
      }
      self.fd = fd
      self.port = UInt16(bigEndian: addr.sin_port)
    }
    deinit { close(fd) }

    /// Datagrams until none arrives for the receive timeout.
    func drain() -> [[UInt8]] {
      var out: [[UInt8]] = []
      var buf = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return out }
        out.append(Array(buf[0..<n]))
      }
    }
  }

  func freePort() throws -> UInt16 { try Receiver().port }

  /// "2027-01-01 12:23:14.123" (UTC) as ms since the epoch.
  static func parseNfdumpTime(_ s: String) -> UInt64? {
    let p = s.split(whereSeparator: { " -:.".contains($0) }).compactMap { Int($0) }
    guard p.count == 7 else { return nil }
    let (y, m, d) = (p[0], p[1], p[2])
    let yy = m <= 2 ? y - 1 : y
    let era = yy / 400
    let yoe = yy - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
    return UInt64((((days * 24 + p[3]) * 60 + p[4]) * 60 + p[5]) * 1000 + p[6])
  }

  @Test(arguments: [5, 9, 10])
  func softflowdExportsMatchNfdump(_ version: Int) throws {
    let capture = SharedData.fixtures.appendingPathComponent("softflowd-capture.pcap").path
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("ingest-softflowd-\(version)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    let receiver = try Receiver()
    let nfPort = try freePort()
    var nfcapd = try Child(
      which("nfcapd")!,
      ["-b", "127.0.0.1", "-p", "\(nfPort)", "-w", dir.path, "-R", "127.0.0.1/\(receiver.port)"])
    usleep(500_000)

    // No control socket (-c): softflowd 1.1 reading a file may block in accept() on it before
    // reading a packet. With -r alone it reads the capture, flushes every flow and exits;
    // -p keeps it off /var/run's pid file.
    var softflowd = try Child(
      which("softflowd")!,
      [
        "-r", capture, "-n", "127.0.0.1:\(nfPort)", "-v", "\(version)", "-d",
        "-p", dir.appendingPathComponent("softflowd.pid").path,
      ],
      output: dir.appendingPathComponent("softflowd.out").path)
    let softflowdExited = softflowd.wait(seconds: 10)
    #expect(softflowdExited, "softflowd did not exit at the end of the capture")
    usleep(300_000)
    let nfcapdStopped = nfcapd.stop()
    #expect(nfcapdStopped, "nfcapd did not stop on SIGTERM")

    // Our side: decode what nfcapd repeated to us.
    let datagrams = receiver.drain()
    #expect(!datagrams.isEmpty)
    var decoder = FlowDecoder()
    var builder = FlowBatchBuilder()
    for d in datagrams {
      let o = decoder.decode(d, exporter: IPAddress(v4: 0x7F00_0001), receivedAt: 0, into: &builder)
      #expect(o.errors == 0 && o.version == UInt16(version))
    }
    let batch = builder.build()
    let ours = FlowTotals([batch])
    // Start and end times equal nfdump's (softflowd stamps them from its own clock and
    // uptime, not from the capture, so only the two readings can be compared).
    // nfdump swaps start and end of softflowd's IPFIX sysUpTime fields (22 is the start,
    // RFC 7011), so pairs are compared unordered.
    let pair = { (a: UInt64, b: UInt64) in "\(min(a, b))/\(max(a, b))" }
    let ourTimes = zip(batch.ints("time"), batch.ints("end_time")).map { pair($0!, $1!) }.sorted()

    // nfdump's side.
    setenv("TZ", "UTC", 1)
    let out = try spawnOutput(
      which("nfdump")!, ["-R", dir.path, "-q", "-N", "-o", "fmt:%pr|%dp|%pkt|%byt|%ts|%te"])
    var theirTimes: [String] = []
    var theirs = FlowTotals()
    let protoNumbers = ["TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58]
    for line in out.split(separator: "\n") {
      let f = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard f.count == 6, let p = UInt64(f[1]), let k = UInt64(f[2]), let b = UInt64(f[3]),
        let ts = Self.parseNfdumpTime(f[4]), let te = Self.parseNfdumpTime(f[5])
      else {
        continue
      }
      theirTimes.append(pair(ts, te))
      let pr = UInt64(protoNumbers[f[0]] ?? Int(f[0]) ?? -1)
      theirs.add(proto: pr, port: p, packets: k, bytes: b)
    }
    #expect(theirs.flows > 0)
    #expect(ours == theirs, "ours: \(ours)\nnfdump: \(theirs)")
    #expect(
      ourTimes == theirTimes.sorted(),
      "times: ours \(ourTimes.prefix(2)) nfdump \(theirTimes.sorted().prefix(2))")
    if version != 5 {
      #expect(batch.ips("src_addr").contains { $0?.isV4 == false }, "no IPv6 flow decoded")
    }
  }
}
