import ArgumentParser
import CFlowSys
import Collector
import Dispatch
import Ingest
import Monitoring
import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// `flowstore serve`: the UDP collector writing into the data directory.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Receive NetFlow v5/v9 and IPFIX over UDP and store the flows.",
    discussion: """
      Listens on every --listen address (default 0.0.0.0:2055 and 0.0.0.0:4739; IPv6 as \
      [::]:2055) and accepts NetFlow v5, v9 and IPFIX on each port. The socket reader never \
      waits on disk: datagrams go through a bounded queue to a decoding thread that appends \
      to the store; datagrams that do not fit in the queue are dropped and counted per \
      exporter. Templates and per-exporter statistics are saved in the catalog, so \
      `flowstore exporters` shows them while this runs, and data arriving right after a \
      restart decodes with the templates saved before it. SIGINT or SIGTERM stops receiving, \
      stores everything received, seals and exits 0. Limits are described in docs/INGEST.md; \
      --metrics serves Prometheus metrics, and running it as a service is described in \
      docs/OPERATIONS.md.
      """)

  @OptionGroup var options: DataOptions
  @OptionGroup var modeOptions: ModeOptions

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Address to listen on (repeatable), e.g. 0.0.0.0:2055 or [::]:4739.",
      valueName: "addr:port"))
  var listen: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Accept exporters in this prefix only (repeatable); others are counted and ignored.",
      valueName: "cidr"))
  var allow: [String] = []

  @Option(
    name: .long, help: ArgumentHelp("Drop data older than this, e.g. 30d or 12h.", valueName: "age")
  )
  var retain: String?

  @Option(name: .long, help: "Datagrams the decode queue holds before dropping (and counting).")
  var queueDatagrams: Int = CollectorConfiguration().queueDatagrams

  @Option(name: .long, help: "Payload bytes the decode queue holds before dropping.")
  var queueBytes: Int = CollectorConfiguration().queueBytes

  @Option(
    name: .long,
    help: """
      Socket receive buffer to request, in bytes (past net.core.rmem_max only as root). \
      Datagrams the kernel drops when it is full are counted and reported.
      """)
  var receiveBuffer: Int = CollectorConfiguration().receiveBufferBytes

  @Option(
    name: .long, help: "Largest datagram accepted, in bytes; longer ones are counted as drops.")
  var maxDatagram: Int = CollectorConfiguration().maxDatagramBytes

  @Option(name: .long, help: "Exporter addresses tracked at once.")
  var maxExporters: Int = DecoderLimits().maxExporters

  @Option(
    name: .long,
    help: """
      Templates kept per exporter address; beyond it a new template evicts one no data set \
      has used (the oldest), or else the least recently used. Evictions are counted.
      """)
  var maxTemplates: Int = DecoderLimits().maxTemplatesPerExporter

  @Option(
    name: .long,
    help: "Templates kept per exporter address and observation domain (evicted likewise).")
  var maxDomainTemplates: Int = DecoderLimits().maxTemplatesPerDomain

  @Option(name: .long, help: "Fields allowed in one template.")
  var maxFields: Int = DecoderLimits().maxFieldsPerTemplate

  @Option(name: .long, help: "Data sets held while waiting for their template (all exporters).")
  var maxHeldSets: Int = DecoderLimits().maxHeldDataSets

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Expire templates not refreshed for this long, or 'never'.", valueName: "age"))
  var templateTimeout: String = "24h"

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Threads that encode blocks (1: the decoding thread encodes them itself).",
      discussion: """
        One thread encodes over 7M flows/s, several times what one socket reader receives, \
        and extra encoding threads compete with the socket reader for cores: they cost CPU \
        (hand-offs, wake-ups) without adding throughput the receive path can use.
        """))
  var encodeThreads: Int = 1

  @Option(name: .long, help: "Seconds between saves of exporter statistics and templates.")
  var statsInterval: Double = CollectorConfiguration().statisticsInterval

  @Option(
    name: .long,
    help: "Seconds after which rows not yet sealed are sealed into segments, however few.")
  var sealAge: Double = StoreOptions().sealAge

  @OptionGroup(title: "Metrics") var metricsOptions: MetricsOptions

  func validate() throws {
    for (name, v) in [
      ("--queue-datagrams", queueDatagrams), ("--queue-bytes", queueBytes),
      ("--max-datagram", maxDatagram), ("--max-exporters", maxExporters),
      ("--max-templates", maxTemplates), ("--max-domain-templates", maxDomainTemplates),
      ("--max-fields", maxFields),
      ("--max-held-sets", maxHeldSets), ("--encode-threads", encodeThreads),
    ] where v < 1 {
      throw Failure.badInput("\(name) must be at least 1, not \(v)")
    }
    guard maxDatagram <= 65_535 else {
      throw Failure.badInput("--max-datagram must be at most 65535, not \(maxDatagram)")
    }
    guard statsInterval > 0 else { throw Failure.badInput("--stats-interval must be positive") }
    guard sealAge > 0 else { throw Failure.badInput("--seal-age must be positive") }
    _ = try metricsOptions.address()
  }

  /// The collector configuration the flags describe.
  func collectorConfiguration() throws -> CollectorConfiguration {
    var c = CollectorConfiguration()
    if !listen.isEmpty {
      c.listen = try listen.map { text in
        guard let a = ListenAddress(text) else {
          throw Failure.badInput(
            "--listen \(text): expected ADDR:PORT with a numeric address, e.g. 0.0.0.0:2055 or [::]:2055"
          )
        }
        return a
      }
    }
    c.allow = try allow.map { text in
      guard let r = AddressRange(text) else {
        throw Failure.badInput("--allow \(text): expected an address prefix, e.g. 10.0.0.0/8")
      }
      return r
    }
    c.queueDatagrams = queueDatagrams
    c.queueBytes = queueBytes
    c.receiveBufferBytes = receiveBuffer
    c.maxDatagramBytes = maxDatagram
    c.statisticsInterval = statsInterval
    c.limits.maxExporters = maxExporters
    c.limits.maxTemplatesPerExporter = maxTemplates
    c.limits.maxTemplatesPerDomain = maxDomainTemplates
    c.limits.maxFieldsPerTemplate = maxFields
    c.limits.maxHeldDataSets = maxHeldSets
    if templateTimeout == "never" {
      c.limits.templateTimeout = nil
    } else if let ms = Format.parseDuration(templateTimeout) {
      c.limits.templateTimeout = ms
    } else {
      throw Failure.badInput(
        "--template-timeout \(templateTimeout): expected e.g. 30m, 24h or never")
    }
    return c
  }

  func run() async throws {
    let config = try collectorConfiguration()
    // Column arrays of a few MiB are allocated and freed for every batch: keep them in the heap
    // instead of mmap/munmap (page faults were a sixth of the collector's CPU).
    cflowsys_keep_heap(32 << 20, 256 << 20)
    var storeOptions = StoreOptions()
    modeOptions.apply(to: &storeOptions)
    // The collector's appends are off the receive path (the queue absorbs the wait for the
    // device), and it runs for its CPU per flow: write the WAL past the page cache.
    storeOptions.walDirectIO = true
    storeOptions.sealThreads = encodeThreads
    storeOptions.sealAge = sealAge
    if let retain {
      guard let ms = Format.parseDuration(retain) else {
        throw Failure.badInput("--retain \(retain): expected a duration such as 30d, 12h or 90m")
      }
      storeOptions.retentionMilliseconds = ms
    }
    let metricsAddress = try metricsOptions.address()
    let metrics = metricsAddress.map { _ in
      ServeMetrics(maxExporterLabels: metricsOptions.metricsMaxExporters)
    }
    if let metrics { storeOptions.onEvent = { event in metrics.record(event) } }
    // A full disk fails every seal attempt (each second): one line per kind of error and 10 s.
    let throttle = NoticeThrottle(interval: 10)
    storeOptions.onBackgroundError = { e in
      metrics?.storeErrorOccurred()
      if let line = throttle.admit(e.throttleKey, e.description) {
        Output.error("flowstore serve: store: " + line)
      }
    }
    let store = try Self.openStore(options.data, storeOptions)
    for note in store.recoveryNotes { Output.error("flowstore serve: " + note) }
    let collector = Collector(store: store, configuration: config) { line in
      Output.error("flowstore serve: " + line)
    }
    let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
    do {
      _ = try await collector.start()
    } catch {
      try? store.close()
      throw Failure.badInput(error.description)
    }
    var server: MetricsServer?
    if let metricsAddress, let metrics {
      do {
        server = try await metricsOptions.start(
          at: metricsAddress, metrics: metrics, collector: collector, store: store,
          reader: try StoreReader(directory: options.data))
      } catch {
        await collector.stop()
        try? store.close()
        throw error
      }
      let bound = ListenAddress(host: metricsAddress.host, port: server?.port ?? 0)
      Output.error("flowstore serve: metrics at http://\(bound)/metrics")
    }
    Output.error("flowstore serve: storing into \(options.data); SIGINT or SIGTERM stops")
    let signal = await stop.wait()
    Output.error("flowstore serve: signal \(signal), draining")
    await server?.stop()
    let s = await collector.stop()
    try store.close()
    Output.error(
      "flowstore serve: stopped; \(s.received) datagrams received, \(s.rowsStored) flows stored, "
        + "\(s.socketDrops) dropped by the kernel (receive buffer full), \(s.dropped) dropped "
        + "before decoding, \(s.rejected) rejected by --allow, \(s.rowsLost) lost to store errors"
    )
  }

  /// Opens the store for `serve`; a damaged one is refused, not started over.
  private static func openStore(_ directory: String, _ options: StoreOptions) throws -> FlowStore {
    do {
      return try FlowStore(directory: directory, options: options)
    } catch {
      guard case .corrupt = error else { throw error }
      throw Failure.corrupt(
        "\(error.description); not starting on a damaged store (nothing was changed; restore the "
          + "file from a backup or move it aside)")
    }
  }
}
