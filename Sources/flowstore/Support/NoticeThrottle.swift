import Dispatch
import Storage
import Synchronization

/// Lets a recurring notice through once per `interval` seconds per key, saying how many times
/// it was held back meanwhile.
final class NoticeThrottle: Sendable {
  private let interval: Double
  private let seen = Mutex<[String: (last: Double, held: Int)]>([:])

  init(interval: Double) { self.interval = interval }

  /// The line to print for `message` (of kind `key`) now, or nil to hold it back.
  func admit(_ key: String, _ message: String) -> String? {
    let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    return seen.withLock { seen in
      if let s = seen[key], now - s.last < interval {
        seen[key] = (s.last, s.held + 1)
        return nil
      }
      let held = seen[key]?.held ?? 0
      seen[key] = (now, 0)
      return held > 0
        ? "\(message) (and \(held) times more in the last \(Int(interval)) s)" : message
    }
  }
}

extension StorageError {
  /// What makes two errors the same for ``NoticeThrottle``: the operation and errno of a system
  /// error (whichever file it was), else the message.
  var throttleKey: String {
    if case .system(let op, _, let e) = self { return "\(op) \(e)" }
    return description
  }
}
