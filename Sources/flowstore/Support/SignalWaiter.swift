import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// The write end of the pipe the signal handler writes each signal's number to.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// The process's handler for the signals a ``SignalWaiter`` waits for: one byte into the pipe
/// (write(2) is async-signal-safe).
private func signalToPipe(_ s: Int32) {
  var b = UInt8(truncatingIfNeeded: s)
  _ = write(signalPipeWrite, &b, 1)
}

/// Turns SIGINT/SIGTERM into an awaitable event (the default handlers are replaced while it
/// lives, so the process can drain and exit 0).
///
/// The handler is installed with sigaction before `init` returns, and writes to a pipe that a
/// dispatch source reads: a signal that comes before the source is registered waits in the pipe.
/// (A dispatch signal source alone, with the signal ignored meanwhile, lost a SIGTERM sent just
/// after `serve` started listening on a loaded machine: the corruption campaign's `serve` then
/// ran on until killed.)
///
/// `@unchecked Sendable`: `received` and `waiter` are only read and written on `queue` (a serial
/// queue; the pipe's read source delivers on it too).
final class SignalWaiter: @unchecked Sendable {
  private let source: any DispatchSourceRead
  private let queue = DispatchQueue(label: "flowstore.signals")
  private var received: Int32?
  private var waiter: CheckedContinuation<Int32, Never>?

  init(signals: [Int32]) {
    var fds: [Int32] = [-1, -1]
    _ = pipe(&fds)
    signalPipeWrite = fds[1]
    for s in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = signalToPipe
      action.sa_flags = SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(s, &action, nil)
    }
    let readEnd = fds[0]
    source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
    source.setEventHandler { [unowned self] in
      var b: UInt8 = 0
      if read(readEnd, &b, 1) == 1 { self.fire(Int32(b)) }
    }
    source.resume()
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
