import CFlowSys

/// A UDP socket's receive queue as the kernel reports it (`SO_MEMINFO`), read by the socket
/// reader after each pause (``ReadPacer``).
struct SocketQueue {
  /// The socket.
  let descriptor: Int32

  /// Bytes queued and the buffer's size (both as the kernel accounts them, per-datagram
  /// overhead included), and datagrams dropped since the socket opened; nil when the system
  /// does not say.
  func read() -> (queued: Int, capacity: Int, drops: UInt32)? {
    var queued: UInt32 = 0
    var capacity: UInt32 = 0
    var drops: UInt32 = 0
    guard cflowsys_receive_queue(descriptor, &queued, &capacity, &drops) == 0 else { return nil }
    return (Int(queued), Int(capacity), drops)
  }
}
