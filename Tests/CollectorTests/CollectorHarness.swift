import Collector
import Foundation
import Ingest
import Storage
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a ``Collector`` on 127.0.0.1 (system-chosen port) over a store in `directory`: calls
/// `body` with the port, waits until `expectDatagrams` datagrams were received (or 20 s; with
/// `settle`, also until the count has not moved for half a second, for runs that lose some),
/// calls `whileRunning` with the port, stops, closes the store, and returns the collector's
/// final summary. The collector's notices go to `log`.
func runCollector(
  directory: String, configure: (inout CollectorConfiguration) -> Void = { _ in },
  expectDatagrams: Int, settle: Bool = false, log: @escaping @Sendable (String) -> Void = { _ in },
  _ body: (Int) throws -> Void, whileRunning: (Int) -> Void = { _ in }
) async throws -> CollectorSummary {
  var config = CollectorConfiguration()
  config.listen = [ListenAddress(host: "127.0.0.1", port: 0)]
  config.receiveBufferBytes = 8 << 20
  config.statisticsInterval = 0.2
  configure(&config)
  let store = try FlowStore(directory: directory)
  let collector = Collector(store: store, configuration: config, log: log)
  let bound = try await collector.start()
  do {
    try body(bound[0].port)
  } catch {
    await collector.stop()
    try store.close()
    throw error
  }
  var last = UInt64.max
  var still = 0
  for _ in 0..<2000 where collector.datagramsReceived < UInt64(expectDatagrams) {
    usleep(10_000)
    let now = collector.datagramsReceived
    still = now == last ? still + 1 : 0
    last = now
    if settle && still >= 50 { break }
  }
  whileRunning(bound[0].port)
  let summary = await collector.stop()
  try store.close()
  return summary
}

/// The kernel's drop count for the IPv4 UDP socket bound to 127.0.0.1:`port`
/// (`/proc/net/udp`, last column); nil when there is none.
func procUDPDrops(port: Int) -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else {
    return nil
  }
  let local = String(format: "0100007F:%04X", port)
  for line in text.split(separator: "\n").dropFirst() {
    let cols = line.split(separator: " ")
    if cols.count > 12, cols[1] == local { return Int(cols[cols.count - 1]) }
  }
  return nil
}

/// tshark's records in `datagrams` (written to a pcap as UDP to port 4739): count and the
/// sums of octets and packets.
func tsharkTotals(_ datagrams: [[UInt8]], directory: URL) throws -> (
  records: Int, bytes: UInt64, packets: UInt64
) {
  var w = PcapWriter()
  for d in datagrams { w.add(d, src: 0x7F00_0001, port: 4739) }
  let path = directory.appendingPathComponent("sent.pcap").path
  try w.write(to: path)
  let (_, out) = try run(
    which("tshark")!,
    [
      "-r", path, "-d", "udp.port==4739,cflow", "-T", "fields", "-E", "occurrence=a", "-E",
      "aggregator=|", "-e", "cflow.octets", "-e", "cflow.packets",
    ])
  var records = 0
  var bytes: UInt64 = 0
  var packets: UInt64 = 0
  for line in out.split(separator: "\n") {
    let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
    guard cols.count == 2 else { continue }
    let o = cols[0].split(separator: "|").compactMap { UInt64($0) }
    let p = cols[1].split(separator: "|").compactMap { UInt64($0) }
    records += o.count
    bytes += o.reduce(0, +)
    packets += p.reduce(0, +)
  }
  return (records, bytes, packets)
}
