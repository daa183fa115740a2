import Storage

/// Collector-wide counts persisted beside the per-exporter reports (catalog state scope
/// ``ExporterReport/scope``, key ``CollectorSummary/key``).
public struct CollectorSummary: Sendable, Equatable {
  /// The state key of the summary.
  public static let key = "collector"
  /// Datagrams received on the sockets (accepted by the allow list or not).
  public var received: UInt64 = 0
  /// Datagrams from senders outside `--allow`.
  public var rejected: UInt64 = 0
  /// Datagrams dropped before decoding (full queue or oversize), all senders.
  public var dropped: UInt64 = 0
  /// Of ``dropped``, those longer than the largest datagram accepted.
  public var oversize: UInt64 = 0
  /// Rows appended to the store.
  public var rowsStored: UInt64 = 0
  /// Rows lost because the store refused them (disk full, I/O error).
  public var rowsLost: UInt64 = 0
  /// Templates held by the decoder.
  public var templates: UInt64 = 0
  /// Times a decoder limit was hit (all limits together).
  public var limitHits: UInt64 = 0
  /// Time of this summary (ms since the epoch).
  public var updated: Int64 = 0
  /// Datagrams the kernel dropped because a socket's receive buffer was full (it does not
  /// tell their senders). Zero in summaries saved before it was counted.
  public var socketDrops: UInt64 = 0

  /// Creates zeroed counts.
  public init() {}

  private static let magic: [UInt8] = Array("FSCS".utf8) + [1]

  private var fields: [UInt64] {
    [
      received, rejected, dropped, oversize, rowsStored, rowsLost, templates, limitHits,
      UInt64(bitPattern: updated), socketDrops,
    ]
  }

  /// The persisted form (``CounterEncoding``).
  public func encoded() -> [UInt8] { CounterEncoding.encode(magic: Self.magic, fields) }

  /// Reads the persisted form; nil when the bytes are not a summary.
  public init?(encoded bytes: [UInt8]) {
    guard let v = CounterEncoding.decode(bytes, magic: Self.magic, count: 10) else { return nil }
    (received, rejected, dropped, oversize) = (v[0], v[1], v[2], v[3])
    (rowsStored, rowsLost, templates, limitHits) = (v[4], v[5], v[6], v[7])
    updated = Int64(bitPattern: v[8])
    socketDrops = v[9]
  }
}
