import Synchronization

/// Checked between units of work: set by Ctrl-C in the REPL to stop the running query.
/// Lock-free, so a signal handler may set it.
public final class CancellationFlag: Sendable {
  private let value = Atomic<Bool>(false)

  /// A flag that is not set.
  public init() {}

  /// Requests cancellation (async-signal-safe).
  public func cancel() { value.store(true, ordering: .relaxed) }
  /// Clears the request.
  public func reset() { value.store(false, ordering: .relaxed) }
  /// True once cancellation was requested.
  public var isCancelled: Bool { value.load(ordering: .relaxed) }
}
