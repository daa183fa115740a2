import Ingest
import Storage
import Synchronization

/// Counts kept by the receive path (event loop) and read by the worker: datagrams the allow
/// list rejected, and datagrams dropped before decoding (full queue, oversize), per sender;
/// datagrams the kernel dropped (full socket buffer), whose senders it does not tell.
/// Tables are bounded by ``CollectorConfiguration/maxCountedSenders``.
final class CollectorCounters: Sendable {
  struct State {
    var rejected: [IPAddress: UInt64] = [:]
    var rejectedOther: UInt64 = 0
    var dropped: [IPAddress: UInt64] = [:]
    var droppedOther: UInt64 = 0
    var oversize: UInt64 = 0
    var received: UInt64 = 0
    /// Datagrams the kernel dropped because a socket's receive buffer was full.
    var socketDrops: UInt64 = 0
  }
  private let state = Mutex(State())
  private let maxSenders: Int

  init(maxSenders: Int) { self.maxSenders = max(1, maxSenders) }

  func received(_ n: Int) {
    state.withLock { $0.received &+= UInt64(n) }
  }

  func socketDropped(_ n: Int) {
    state.withLock { $0.socketDrops &+= UInt64(n) }
  }

  func rejected(_ a: IPAddress) {
    state.withLock { s in
      if s.rejected[a] != nil || s.rejected.count < maxSenders {
        s.rejected[a, default: 0] &+= 1
      } else {
        s.rejectedOther &+= 1
      }
    }
  }

  func dropped(_ chunk: DatagramChunk, oversize: Int = 0) {
    state.withLock { s in
      s.oversize &+= UInt64(oversize)
      for a in chunk.exporters {
        if s.dropped[a] != nil || s.dropped.count < maxSenders {
          s.dropped[a, default: 0] &+= 1
        } else {
          s.droppedOther &+= 1
        }
      }
    }
  }

  func droppedOne(_ a: IPAddress, oversize: Bool) {
    state.withLock { s in
      if oversize { s.oversize &+= 1 }
      if s.dropped[a] != nil || s.dropped.count < maxSenders {
        s.dropped[a, default: 0] &+= 1
      } else {
        s.droppedOther &+= 1
      }
    }
  }

  var snapshot: State { state.withLock { $0 } }
}
