/// Counters for one exporter address since the decoder started (or its state was restored).
public struct ExporterStatistics: Sendable, Equatable {
  /// Datagrams received.
  public var datagrams = 0
  /// Export messages decoded (a datagram or file may hold several).
  public var messages = 0
  /// Flow records decoded and appended.
  public var records = 0
  /// Options data records decoded (they update sampling, time and application-name state).
  public var optionRecords = 0
  /// Template and options template records received (definitions and refreshes).
  public var templates = 0
  /// Template withdrawals (RFC 7011 8.1), each withdraw-all counting once.
  public var withdrawals = 0
  /// Templates that expired for lack of refresh.
  public var expiredTemplates = 0
  /// Templates dropped by a limit.
  public var templatesRejected = 0
  /// Templates evicted to make room for new ones (see ``DecoderLimits/maxTemplatesPerExporter``).
  public var evictedTemplates = 0
  /// Sequence number jumps forward within ``FlowDecoder/sequenceWindow`` (each a gap event).
  public var sequenceGaps = 0
  /// Units missing according to sequence numbers (the gaps' sizes): flows for v5, export
  /// packets for v9, data records for IPFIX.
  public var lost: UInt64 = 0
  /// Sequence numbers that jumped, forward or back, by more than
  /// ``FlowDecoder/sequenceWindow``: counted as resets of the sequence (an exporter restart, or
  /// a sender with no real sequence), not as lost units.
  public var sequenceResets = 0
  /// Messages or sets rejected as malformed.
  public var decodeErrors = 0
  /// Data sets held because their template was unknown.
  public var heldSets = 0
  /// Held data sets decoded once their template arrived.
  public var releasedSets = 0
  /// Held data sets dropped (bound or timeout).
  public var droppedSets = 0
  /// Receive time of the last datagram (ms since the epoch).
  public var lastSeen: Int64 = 0

  /// Creates zeroed statistics.
  public init() {}
}
