import Ingest

/// Why a ``Collector`` could not start.
public enum CollectorError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A listen address could not be bound (the address and the system's reason).
  case bind(ListenAddress, String)
  /// The collector was already started or stopped.
  case notIdle

  /// A one-line message.
  public var description: String {
    switch self {
    case .bind(let a, let why): "cannot listen on \(a): \(why)"
    case .notIdle: "the collector was already started"
    }
  }
}
