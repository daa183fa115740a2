/// Rows of one batch: one vector per scan slot, all `count` long.
struct Batch: Sendable {
  var columns: [Vec]
  var count: Int
}

/// Which rows of a batch are still selected: all of them, or the listed indices (ascending).
struct Selection: Sendable {
  var all: Bool
  var indices: [Int32]
  var count: Int

  static func all(_ n: Int) -> Selection { Selection(all: true, indices: [], count: n) }

  /// The selected row indices, materialised.
  func rows() -> [Int32] {
    all ? (0..<Int32(count)).map { $0 } : indices
  }
}

/// Checked between batches: set by Ctrl-C in the REPL to stop the running query.
public final class CancellationFlag: @unchecked Sendable {
  private let lock = NSLockLite()
  private var value = false

  /// A flag that is not set.
  public init() {}

  /// Requests cancellation.
  public func cancel() { lock.withLock { value = true } }
  /// Clears the request.
  public func reset() { lock.withLock { value = false } }
  /// True once cancellation was requested.
  public var isCancelled: Bool { lock.withLock { value } }
}

/// A tiny mutex over pthreads (Synchronization's Mutex is not usable from a signal handler's
/// perspective either way; this keeps the flag readable from any thread).
final class NSLockLite: @unchecked Sendable {
  private let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  init() { pthread_mutex_init(m, nil) }
  deinit {
    pthread_mutex_destroy(m)
    m.deallocate()
  }
  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(m)
    defer { pthread_mutex_unlock(m) }
    return try body()
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
