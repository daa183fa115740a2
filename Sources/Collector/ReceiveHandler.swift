import Dispatch
import Ingest
import NIOCore
import Storage

/// The socket reader: runs on the event loop, filters senders by the allow list, copies the
/// datagrams into a ``DatagramChunk`` and offers it to the queue. It never waits: a chunk the
/// queue refuses is counted as dropped.
///
/// Reads are paced (the channel runs with auto-read off): when a read cycle drains the socket
/// before filling ``readsPerCycle`` slots, the next read starts after a pause instead of on the
/// next datagram's arrival. At tens of thousands of datagrams per second a read otherwise
/// returns one or two datagrams, and the wake-up for each (a context switch on the event loop
/// and another on the worker) cost more than receiving them. The socket buffer holds what
/// arrives meanwhile; ``ReadPacer`` sizes the pause from what the last one left queued, and
/// under full load every cycle is full and reading never pauses. The kernel's drops (buffer
/// full) are read at the same time and counted.
final class ReceiveHandler: ChannelInboundHandler {
  typealias InboundIn = AddressedEnvelope<ByteBuffer>

  private let queue: DatagramQueue
  private let counters: CollectorCounters
  private let allow: [AddressRange]
  private let slotBytes: Int
  private let readsPerCycle: Int
  private let socket: SocketQueue
  private var pacer = ReadPacer()
  /// When the current pause started (uptime nanoseconds).
  private var pausedAt: UInt64 = 0
  private var chunk = DatagramChunk()
  /// Resumes reading after a pause (set while the channel is active; it holds the context).
  private var resumer: ReadResumer?
  private var received = 0
  private var readThisCycle = 0
  /// Where kernel drops are reported (one line at most every ``noticeInterval``), and what is
  /// listened on, for that line.
  private let notice: @Sendable (String) -> Void
  private let listening: String
  private var droppedTotal = 0
  private var droppedUnreported = 0
  private var lastNotice: UInt64 = 0

  /// Most datagrams in one chunk.
  static let maxChunkDatagrams = 1024
  /// Most payload bytes in one chunk (a chunk is handed over once it reaches this).
  static let maxChunkBytes = 2 << 20
  /// Shortest time between two reports of kernel drops (nanoseconds).
  static let noticeInterval: UInt64 = 10_000_000_000

  /// `slotBytes` is the receive slot size: a datagram that fills it was truncated.
  /// `readsPerCycle` is the most datagrams one read cycle takes (vector size × reads per cycle).
  /// `socket` is the channel's socket, whose queue sizes the pauses, and `listening` its
  /// address; `notice` gets a line when the kernel drops datagrams.
  init(
    queue: DatagramQueue, counters: CollectorCounters, allow: [AddressRange], slotBytes: Int,
    readsPerCycle: Int, socket: SocketQueue, listening: String,
    notice: @escaping @Sendable (String) -> Void
  ) {
    self.queue = queue
    self.counters = counters
    self.allow = allow
    self.slotBytes = slotBytes
    self.readsPerCycle = max(1, readsPerCycle)
    self.socket = socket
    self.listening = listening
    self.notice = notice
  }

  func channelActive(context: ChannelHandlerContext) {
    resumer = ReadResumer(self, context)
    context.read()
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let envelope = unwrapInboundIn(data)
    received += 1
    readThisCycle += 1
    let sender = Self.ip(envelope.remoteAddress)
    if !allow.isEmpty, !allow.contains(where: { $0.contains(sender) }) {
      counters.rejected(sender)
      return
    }
    if envelope.data.readableBytes >= slotBytes {
      counters.droppedOne(sender, oversize: true)
      return
    }
    envelope.data.withUnsafeReadableBytes { chunk.append($0, from: sender) }
    if chunk.count >= Self.maxChunkDatagrams || chunk.bytes.count >= Self.maxChunkBytes {
      submit()
    }
  }

  /// A full cycle reads again at once and keeps filling the chunk (handed over when it reaches
  /// ``maxChunkDatagrams`` or ``maxChunkBytes``); a cycle that emptied the socket hands the
  /// chunk over and pauses. After a 50 ms pause the reader takes about eight full cycles in a
  /// row, which now make one or two chunks for the worker instead of eight.
  func channelReadComplete(context: ChannelHandlerContext) {
    let full = readThisCycle >= readsPerCycle
    readThisCycle = 0
    if full {
      context.read()
    } else {
      submit()
      if let resumer {
        pausedAt = SystemClock.monotonicNanoseconds()
        // Fails only when the event loop is shutting down, and then nothing is read anyway.
        _ = try? context.eventLoop.scheduleCallback(
          in: .nanoseconds(pacer.pause), handler: resumer)
      }
    }
    context.fireChannelReadComplete()
  }

  /// Ends a pause: notes what it left queued (and any drops), then reads.
  func resume(context: ChannelHandlerContext) {
    if let q = socket.read() {
      let elapsed = SystemClock.monotonicNanoseconds() &- pausedAt
      let dropped = pacer.observe(
        elapsed: Int64(clamping: elapsed), queued: q.queued, capacity: q.capacity, drops: q.drops)
      if dropped > 0 { kernelDropped(Int(dropped), buffer: q.capacity) }
    }
    context.read()
  }

  /// Counts datagrams the kernel dropped, and reports them (with those not reported yet) when
  /// the last report is ``noticeInterval`` old.
  private func kernelDropped(_ n: Int, buffer: Int) {
    counters.socketDropped(n)
    droppedTotal += n
    droppedUnreported += n
    let now = SystemClock.monotonicNanoseconds()
    guard lastNotice == 0 || now &- lastNotice >= Self.noticeInterval else { return }
    lastNotice = now
    notice(
      "the kernel dropped \(droppedUnreported) datagrams on \(listening) (\(droppedTotal) so far): "
        + "its receive buffer (\(ByteCount.text(buffer))) was full; a larger --receive-buffer "
        + "holds more (past net.core.rmem_max only as root)")
    droppedUnreported = 0
  }

  func channelInactive(context: ChannelHandlerContext) {
    resumer = nil
    submit()
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    resumer = nil
    submit()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // A datagram socket reports ICMP errors and the like here; receiving goes on.
  }

  private func submit() {
    if received > 0 {
      counters.received(received)
      received = 0
    }
    guard !chunk.isEmpty else { return }
    chunk.receivedAt = SystemClock.wallMilliseconds()
    if !queue.offer(chunk) { counters.dropped(chunk) }
    // Room for a full chunk, so a recycled chunk never grows (and faults in fresh pages).
    chunk = queue.emptyChunk(capacity: Self.maxChunkBytes + slotBytes)
  }

  /// The sender as an ``IPAddress`` (IPv4 held IPv4-mapped).
  static func ip(_ address: SocketAddress) -> IPAddress {
    switch address {
    case .v4(let a):
      return IPAddress(v4: UInt32(bigEndian: a.address.sin_addr.s_addr))
    case .v6(let a):
      var sa = a.address
      return withUnsafeBytes(of: &sa.sin6_addr) { IPAddress(bytes16: $0) }
    default:
      return .zero
    }
  }
}
