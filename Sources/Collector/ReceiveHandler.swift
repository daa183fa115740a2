import Ingest
import NIOCore
import Storage

/// The socket reader: runs on the event loop, filters senders by the allow list, copies the
/// datagrams of one vectored read into a ``DatagramChunk`` and offers it to the queue. It never
/// waits: a chunk the queue refuses is counted as dropped.
final class ReceiveHandler: ChannelInboundHandler {
  typealias InboundIn = AddressedEnvelope<ByteBuffer>

  private let queue: DatagramQueue
  private let counters: CollectorCounters
  private let allow: [AddressRange]
  private let slotBytes: Int
  private var chunk = DatagramChunk()
  private var received = 0

  /// `slotBytes` is the receive slot size: a datagram that fills it was truncated.
  init(queue: DatagramQueue, counters: CollectorCounters, allow: [AddressRange], slotBytes: Int) {
    self.queue = queue
    self.counters = counters
    self.allow = allow
    self.slotBytes = slotBytes
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let envelope = unwrapInboundIn(data)
    received += 1
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
    if chunk.count >= 1024 { submit() }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    submit()
    context.fireChannelReadComplete()
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
    chunk.receivedAt = wallMilliseconds()
    if !queue.offer(chunk) { counters.dropped(chunk) }
    chunk = queue.emptyChunk(capacity: chunk.bytes.count)
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
