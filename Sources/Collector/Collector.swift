import CFlowSys
import Foundation
import Ingest
import NIOCore
import NIOPosix
import Storage
import Synchronization

/// The UDP flow collector: swift-nio datagram channels with vectored reads (recvmmsg) and a
/// large socket buffer feed a bounded queue; one worker thread decodes and appends to the
/// store, so the socket reader never waits on disk.
///
/// The worker also restores and saves templates, saves per-exporter statistics every
/// ``CollectorConfiguration/statisticsInterval`` seconds, and expires stale templates.
/// ``stop()`` stops receiving, drains the queue into the store and saves everything; the caller
/// then seals and closes the store.
public final class Collector: Sendable {
  /// The configuration in effect.
  public let configuration: CollectorConfiguration
  private let store: FlowStore
  private let queue: DatagramQueue
  private let counters: CollectorCounters
  private let group: MultiThreadedEventLoopGroup
  private let channels = Mutex<[any Channel]>([])
  private let phase = Mutex(Phase.idle)
  private let finished = DispatchSemaphore(value: 0)
  private let summary = Mutex(CollectorSummary())
  private let reports = Mutex([IPAddress: ExporterReport]())
  private let templateCounts = Mutex([IPAddress: Int]())
  private let log: @Sendable (String) -> Void

  /// Creates a collector writing to `store`; `log` receives one-line notices (start, problems).
  public init(
    store: FlowStore, configuration: CollectorConfiguration = CollectorConfiguration(),
    log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.store = store
    self.configuration = configuration
    self.queue = DatagramQueue(
      maxDatagrams: configuration.queueDatagrams, maxBytes: configuration.queueBytes)
    self.counters = CollectorCounters(maxSenders: configuration.maxCountedSenders)
    self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    self.log = log
  }

  /// Starts the worker and binds every listen address. Returns the addresses bound (with the
  /// port the system chose where 0 was asked).
  ///
  /// - Throws: ``CollectorError/bind(_:_:)`` when an address cannot be bound (nothing is then
  ///   left listening).
  public func start() async throws(CollectorError) -> [ListenAddress] {
    let idle = phase.withLock { p in
      guard p == .idle else { return false }
      p = .running
      return true
    }
    guard idle else { throw .notIdle }
    let worker = Thread { [self] in
      runWorker()
      finished.signal()
    }
    worker.name = "flowstore-ingest"
    worker.start()
    var bound: [ListenAddress] = []
    for address in configuration.listen {
      do {
        let channel = try await bind(address)
        channels.withLock { $0.append(channel) }
        let port = channel.localAddress?.port ?? address.port
        bound.append(ListenAddress(host: address.host, port: port))
      } catch {
        await closeChannels()
        queue.close()
        await waitForWorker()
        try? await group.shutdownGracefully()
        throw error
      }
    }
    return bound
  }

  private func bind(_ address: ListenAddress) async throws(CollectorError) -> any Channel {
    var got: Int32 = 0
    let fd = cflowsys_udp_bind(
      address.host, Int32(address.port), Int32(clamping: configuration.receiveBufferBytes), &got)
    guard fd >= 0 else { throw .bind(address, Errno(-fd).description) }
    let count = max(1, configuration.vectorReadCount)
    let slot = configuration.maxDatagramBytes + 1
    let queue = self.queue
    let counters = self.counters
    let allow = configuration.allow
    let log = self.log
    let bootstrap = DatagramBootstrap(group: group)
      .channelOption(ChannelOptions.datagramVectorReadMessageCount, value: count)
      .channelOption(
        ChannelOptions.recvAllocator,
        value: FixedSizeRecvByteBufferAllocator(capacity: count * slot)
      )
      .channelOption(ChannelOptions.maxMessagesPerRead, value: 4)
      .channelOption(ChannelOptions.autoRead, value: false)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(
            ReceiveHandler(
              queue: queue, counters: counters, allow: allow, slotBytes: slot,
              readsPerCycle: count * 4, socket: SocketQueue(descriptor: fd),
              listening: "\(address)", notice: log))
        }
      }
    do {
      let channel = try await bootstrap.withBoundSocket(fd).get()
      var line = "listening on \(address) (receive buffer \(ByteCount.text(Int(got)))"
      if Int(got) < configuration.receiveBufferBytes {
        line += "; raise net.core.rmem_max or run as root for more"
      }
      log(line + ")")
      return channel
    } catch {
      close(fd)
      throw .bind(address, "\(error)")
    }
  }

  /// Stops receiving, decodes and stores everything queued, saves templates and statistics.
  /// Returns the final collector-wide counts. The store stays open (seal and close it next).
  @discardableResult
  public func stop() async -> CollectorSummary {
    let wasRunning = phase.withLock { p in
      defer { p = .stopped }
      return p == .running
    }
    guard wasRunning else { return summary.withLock { $0 } }
    await closeChannels()
    queue.close()
    await waitForWorker()
    try? await group.shutdownGracefully()
    return summary.withLock { $0 }
  }

  /// Datagrams received on the sockets so far (live; counted whenever a chunk is handed over).
  public var datagramsReceived: UInt64 { counters.snapshot.received }

  /// The latest collector-wide counts (updated at each statistics save).
  public var currentSummary: CollectorSummary { summary.withLock { $0 } }

  /// The per-exporter reports as last saved to the catalog (what `flowstore exporters` reads),
  /// counts running across restarts; empty until the first save.
  public var currentReports: [IPAddress: ExporterReport] { reports.withLock { $0 } }

  /// Templates the decoder holds per exporter address, as of the last statistics save.
  public var currentTemplateCounts: [IPAddress: Int] { templateCounts.withLock { $0 } }

  private func closeChannels() async {
    let all = channels.withLock { c in
      defer { c.removeAll() }
      return c
    }
    for c in all { try? await c.close() }
  }

  private func waitForWorker() async {
    let done = finished
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        done.wait()
        c.resume()
      }
    }
  }

  // MARK: - Worker

  private func runWorker() {
    let config = configuration
    var ingester = FlowIngester(
      store: store, limits: config.limits, batchRows: config.batchRows, persistTemplates: true)
    if let problem = ingester.restore() { log(problem) }
    let clock = { SystemClock.monotonicSeconds() }
    var firstPending: Double?
    var nextSave = clock() + config.statisticsInterval
    var nextExpiry = clock() + config.expiryInterval
    var chunks: [DatagramChunk] = []
    var appends = AppendWatch()
    var saves = RepeatedFailure(subject: "saving collector state", dropsFlows: false)
    while true {
      let wait = firstPending.map { max(0.001, $0 + config.flushInterval - clock()) } ?? 0.25
      let closed = queue.take(into: &chunks, timeout: min(wait, 0.25))
      // Oldest first; each chunk leaves the array so that its buffers are uniquely held when
      // emptied and handed back for reuse.
      chunks.reverse()
      while var chunk = chunks.popLast() {
        let receivedAt = chunk.receivedAt
        chunk.forEachDatagram { payload, exporter in
          ingester.ingest(payload, exporter: exporter, receivedAt: receivedAt)
        }
        chunk.removeAll()
        queue.recycle(consume chunk)
      }
      noteAppends(ingester, &appends)
      let now = clock()
      if ingester.pendingRows == 0 {
        firstPending = nil
      } else if firstPending == nil {
        firstPending = now
      }
      if let f = firstPending, now - f >= config.flushInterval {
        ingester.flush()
        noteAppends(ingester, &appends)
        firstPending = nil
      }
      if now >= nextExpiry {
        ingester.expire(now: SystemClock.wallMilliseconds())
        nextExpiry = now + config.expiryInterval
      }
      if now >= nextSave {
        save(&ingester, &saves)
        nextSave = now + config.statisticsInterval
      }
      if closed { break }
    }
    ingester.flush()
    noteAppends(ingester, &appends)
    ingester.dropHeld()
    save(&ingester, &saves)
  }

  /// Where the store's appends stand: rows stored and lost so far, and the failure under way.
  private struct AppendWatch {
    var stored = 0
    var lost = 0
    var failure = RepeatedFailure(subject: "store appends")
  }

  /// Logs a failing store (full disk) when it starts, every 10 s while it lasts, and when appends
  /// work again; not once per batch.
  private func noteAppends(_ ingester: borrowing FlowIngester, _ w: inout AppendWatch) {
    let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    if ingester.rowsLost > w.lost, let e = ingester.lastStoreError {
      if let line = w.failure.failed(e.description, lost: ingester.rowsLost - w.lost, now: now) {
        log(line)
      }
    } else if ingester.rowsStored > w.stored, let line = w.failure.succeeded(now: now) {
      log(line)
    }
    w.stored = ingester.rowsStored
    w.lost = ingester.rowsLost
  }

  private func save(_ ingester: inout FlowIngester, _ saves: inout RepeatedFailure) {
    let c = counters.snapshot
    var s = CollectorSummary()
    s.received = c.received
    s.rejected = c.rejected.values.reduce(c.rejectedOther, &+)
    s.dropped = c.dropped.values.reduce(c.droppedOther, &+)
    s.oversize = c.oversize
    s.socketDrops = c.socketDrops
    s.rowsStored = UInt64(ingester.rowsStored)
    s.rowsLost = UInt64(ingester.rowsLost)
    s.templates = UInt64(ingester.decoder.templateCount)
    let l = ingester.decoder.limitCounters
    s.limitHits = UInt64(
      l.exportersRejected + l.templatesRejected + l.templatesEvicted + l.oversizedTemplates
        + l.heldSetsDropped + l.unknownFieldKeysOverflow + l.optionEntriesRejected)
    s.updated = SystemClock.wallMilliseconds()
    summary.withLock { $0 = s }
    let held = ingester.decoder.templateCounts
    templateCounts.withLock { $0 = held }
    let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    do throws(StorageError) {
      try ingester.saveTemplatesIfChanged()
      let saved = try ingester.saveReports(queueDrops: c.dropped)
      reports.withLock { $0 = saved }
      try store.putState(scope: ExporterReport.scope, key: CollectorSummary.key, value: s.encoded())
      if let line = saves.succeeded(now: now) { log(line) }
    } catch {
      if let line = saves.failed(error.description, lost: 0, now: now) { log(line) }
    }
  }
}

extension Collector {
  /// Where a collector is in its life: it starts once and stops once.
  enum Phase: Sendable {
    /// Created, not started.
    case idle
    /// ``Collector/start()`` ran: receiving.
    case running
    /// ``Collector/stop()`` ran (or started while idle): it never starts again.
    case stopped
  }
}
