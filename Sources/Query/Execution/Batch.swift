import Storage
import Synchronization

/// Rows of one batch: one vector per scan slot, all `count` long.
struct Batch: Sendable {
  var columns: [Vec]
  var count: Int
  /// The zone maps of the block the rows come from, by scan slot (nil: unknown), so a filter
  /// can skip a conjunct the block's bounds already prove for every row.
  var zones: [ZoneMap?]? = nil
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

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
