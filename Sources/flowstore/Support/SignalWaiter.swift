import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Turns SIGINT/SIGTERM into an awaitable event (the default handlers are disabled while it
/// lives, so the process can drain and exit 0).
///
/// `@unchecked Sendable`: `received` and `waiter` are only read and written on `queue` (a serial
/// queue; the signal sources deliver on it too).
final class SignalWaiter: @unchecked Sendable {
  private let sources: [any DispatchSourceSignal]
  private let queue = DispatchQueue(label: "flowstore.signals")
  private var received: Int32?
  private var waiter: CheckedContinuation<Int32, Never>?

  init(signals: [Int32]) {
    var sources: [any DispatchSourceSignal] = []
    for s in signals {
      signal(s, SIG_IGN)
      sources.append(DispatchSource.makeSignalSource(signal: s, queue: queue))
    }
    self.sources = sources
    for (src, s) in zip(sources, signals) {
      src.setEventHandler { [unowned self] in self.fire(s) }
      src.resume()
    }
  }

  private func fire(_ s: Int32) {
    if let w = waiter {
      waiter = nil
      w.resume(returning: s)
    } else if received == nil {
      received = s
    }
  }

  /// Waits for the first signal; returns its number.
  func wait() async -> Int32 {
    await withCheckedContinuation { c in
      queue.async {
        if let r = self.received {
          c.resume(returning: r)
        } else {
          self.waiter = c
        }
      }
    }
  }
}
