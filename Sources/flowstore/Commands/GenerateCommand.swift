import ArgumentParser
import CFlowSys
import Collector
import Dispatch
import Ingest
import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// `flowstore generate`: a deterministic synthetic IPFIX exporter.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract:
      "Send synthetic IPFIX flow records to a collector, or append them to a data directory (for demos and benchmarks).",
    discussion: """
      Generates --records IPFIX data records (IPv4 with application name and HTTP host, one in \
      eight IPv6) from a deterministic generator: the same --seed, --start and --days give the \
      same flows. Flow starts advance 24.5 ms a record on average; with --days D, the records \
      are spread evenly over D days from --start. Without --start the flows end about now, so \
      `time >= now() - 1h` finds them.

      With --to, the records go out as IPFIX datagrams: templates in the first message and \
      every 32 messages after it, sent with sendmmsg, paced to --rate records per second when \
      given (0: as fast as possible).

      With --store DIR, the same flows are appended to the data directory DIR straight through \
      the store (no datagrams, no UDP), as the rows `flowstore serve` stores when it receives \
      them from --exporter (default 127.0.0.1): millions of rows per second, to build large \
      stores for benchmarks. Fails with a one-line message when a running `flowstore serve` \
      holds DIR. Exactly one of --to and --store is given.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Collector address, e.g. 127.0.0.1:4739 or [::1]:4739.", valueName: "host:port"))
  var to: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Append to this data directory instead of sending (created when missing).",
      valueName: "dir"))
  var store: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Spread the records over this many days from the first flow's start.", valueName: "days"))
  var days: Double?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --store, the exporter address the rows carry.", valueName: "addr"))
  var exporter: String = "127.0.0.1"

  @OptionGroup var modeOptions: ModeOptions

  @Option(name: .long, help: "Records to generate.")
  var records: Int

  @Option(name: .long, help: "With --to, records per second (0: unpaced).")
  var rate: Double = 0

  @Option(name: .long, help: "Generator seed.")
  var seed: UInt64 = 1

  @Option(name: .long, help: "With --to, records per datagram (1 to 40).")
  var perDatagram: Int = 30

  @Option(name: .long, help: "Observation domain id.")
  var domain: UInt32 = 1

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Start time of the first flow (ISO 8601); default: so that the last flows start about now.",
      valueName: "time"))
  var start: String?

  func validate() throws {
    guard records >= 1 else { throw Failure.badInput("--records must be at least 1") }
    guard (1...40).contains(perDatagram) else {
      throw Failure.badInput("--per-datagram must be 1 to 40")
    }
    guard rate >= 0 else { throw Failure.badInput("--rate must not be negative") }
    if let days { guard days > 0 else { throw Failure.badInput("--days must be positive") } }
    switch (to, store) {
    case (nil, nil):
      throw Failure.badInput(
        "give --to HOST:PORT (send over UDP) or --store DIR (append to a data directory)")
    case (.some, .some):
      throw Failure.badInput("give --to HOST:PORT or --store DIR, not both")
    case (nil, .some):
      guard rate == 0 else { throw Failure.badInput("--rate paces --to only, not --store") }
    case (.some, nil): break
    }
  }

  /// The first flow's start (ms) and the mean step between flow starts (µs, nil for the
  /// exporter's default), from --start, --days and --records.
  func timeline() throws -> (first: Int64, stepMicros: Int64?) {
    let stepMicros = days.map { Int64($0 * 86_400_000_000 / Double(records)) }
    if let start {
      guard let t = Timestamp.parse(start) else {
        throw Failure.badInput(
          "--start \(start): expected an ISO 8601 time such as 2026-11-27T00:00:00Z")
      }
      return (t, stepMicros)
    }
    // Flow starts advance 25 ms per record on average (or span --days): the last is about now.
    let span = days.map { Int64($0 * 86_400_000) } ?? Int64(records) * 25
    return (SystemClock.wallMilliseconds() - span, stepMicros)
  }

  func run() throws {
    let (first, stepMicros) = try timeline()
    var exporter = SyntheticExporter(
      seed: seed, domain: domain, startMillis: first, stepMicros: stepMicros)
    if let store {
      try append(&exporter, into: store)
    } else if let to {
      try send(&exporter, to: to)
    }
  }

  /// Sends the records to `to` over UDP.
  private func send(_ exporter: inout SyntheticExporter, to: String) throws {
    let text = to.hasPrefix("localhost:") ? "127.0.0.1" + to.dropFirst("localhost".count) : to
    guard let target = ListenAddress(text), target.port > 0 else {
      throw Failure.badInput(
        "--to \(to): expected HOST:PORT with a numeric address, e.g. 127.0.0.1:4739")
    }
    let fd = cflowsys_udp_connect(target.host, Int32(target.port), 4 << 20)
    guard fd >= 0 else {
      throw Failure.badInput("--to \(to): \(Errno(-fd))")
    }
    defer { close(fd) }
    let start = SystemClock.monotonicNanoseconds()
    var sent = 0
    var datagrams = 0
    while sent < records {
      var batch: [[UInt8]] = []
      var n = 0
      while batch.count < 64 && sent + n < records {
        let k = min(perDatagram, records - sent - n)
        batch.append(exporter.nextDatagram(records: k))
        n += k
      }
      if rate > 0 {
        let due = start + UInt64(Double(sent) / rate * 1e9)
        let now = SystemClock.monotonicNanoseconds()
        if due > now { usleep(UInt32(min((due - now) / 1000, 1_000_000))) }
      }
      try send(fd, batch, to: to)
      sent += n
      datagrams += batch.count
    }
    let seconds = Double(SystemClock.monotonicNanoseconds() - start) / 1e9
    Output.error(
      "flowstore generate: sent \(sent) records in \(datagrams) datagrams to \(target) in "
        + String(format: "%.2f", seconds) + " s")
  }

  private func send(_ fd: Int32, _ batch: [[UInt8]], to: String) throws {
    var offset = 0
    while offset < batch.count {
      let part = Array(batch[offset...])
      let lengths = part.map { UInt32($0.count) }
      let pointers = part.map { d in UnsafeMutablePointer<UInt8>.allocate(capacity: d.count) }
      defer { for p in pointers { p.deallocate() } }
      for (p, d) in zip(pointers, part) { p.initialize(from: d, count: d.count) }
      let raw = pointers.map { UnsafePointer<UInt8>?(UnsafePointer($0)) }
      let n = raw.withUnsafeBufferPointer { r in
        lengths.withUnsafeBufferPointer { l in
          cflowsys_send_many(fd, r.baseAddress, l.baseAddress, Int32(part.count))
        }
      }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN || errno == ENOBUFS || errno == ECONNREFUSED {
          usleep(200)
          continue
        }
        throw Failure.badInput("sending to \(to): \(Errno.current)")
      }
      offset += Int(n)
    }
  }
}
