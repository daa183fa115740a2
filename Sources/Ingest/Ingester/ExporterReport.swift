import Storage

/// What the collector persists about one exporter (catalog state scope
/// ``ExporterReport/scope``, key = the exporter's address), read by `flowstore exporters`.
///
/// Counts run across restarts: at start the collector takes the persisted figures as its base.
public struct ExporterReport: Sendable, Equatable {
  /// The catalog state scope holding one report per exporter.
  public static let scope = "ingest.exporters"

  /// Datagrams received from the exporter (including those dropped by a full queue).
  public var datagrams: UInt64 = 0
  /// Flow records decoded and stored.
  public var records: UInt64 = 0
  /// Options data records decoded.
  public var optionRecords: UInt64 = 0
  /// Template and options template records received.
  public var templates: UInt64 = 0
  /// Templates expired for lack of refresh.
  public var expiredTemplates: UInt64 = 0
  /// Sequence number gaps (events).
  public var sequenceGaps: UInt64 = 0
  /// Units missing according to sequence numbers (see ``ExporterStatistics/lost``).
  public var lost: UInt64 = 0
  /// Malformed messages or sets.
  public var decodeErrors: UInt64 = 0
  /// Data sets held for a template not yet received.
  public var heldSets: UInt64 = 0
  /// Held data sets dropped (bound, timeout or shutdown).
  public var droppedSets: UInt64 = 0
  /// Datagrams dropped because the decode queue was full.
  public var queueDrops: UInt64 = 0
  /// Receive time of the last datagram (ms since the epoch).
  public var lastSeen: Int64 = 0
  /// Templates evicted to make room for new ones. Zero in reports saved before it was counted.
  public var evictedTemplates: UInt64 = 0
  /// Sequence resets: jumps beyond ``FlowDecoder/sequenceWindow``, not counted in ``lost``.
  /// Zero in reports saved before it was counted.
  public var sequenceResets: UInt64 = 0

  /// Creates zeroed counts.
  public init() {}

  /// All drops: held data sets dropped plus datagrams dropped by the queue.
  public var drops: UInt64 { droppedSets + queueDrops }

  private static let magic: [UInt8] = Array("FSEX".utf8) + [1]

  private var fields: [UInt64] {
    get {
      [
        datagrams, records, optionRecords, templates, expiredTemplates, sequenceGaps, lost,
        decodeErrors, heldSets, droppedSets, queueDrops, UInt64(bitPattern: lastSeen),
        evictedTemplates, sequenceResets,
      ]
    }
    set(v) {
      (datagrams, records, optionRecords, templates) = (v[0], v[1], v[2], v[3])
      (expiredTemplates, sequenceGaps, lost, decodeErrors) = (v[4], v[5], v[6], v[7])
      (heldSets, droppedSets, queueDrops) = (v[8], v[9], v[10])
      lastSeen = Int64(bitPattern: v[11])
      (evictedTemplates, sequenceResets) = (v[12], v[13])
    }
  }

  /// Where ``lastSeen`` is in the persisted fields (the others are counts).
  private static let lastSeenField = 11

  /// The persisted form: magic, field count, u64 fields (``CounterEncoding``).
  public func encoded() -> [UInt8] { CounterEncoding.encode(magic: Self.magic, fields) }

  /// Reads the persisted form; nil when the bytes are not a report. Fields added by later
  /// versions are ignored, missing ones read as zero.
  public init?(encoded bytes: [UInt8]) {
    guard let v = CounterEncoding.decode(bytes, magic: Self.magic, count: 14) else { return nil }
    self.fields = v
  }

  /// Adds a decoder's statistics to these counts.
  mutating func add(_ s: ExporterStatistics) {
    datagrams &+= UInt64(s.datagrams)
    records &+= UInt64(s.records)
    optionRecords &+= UInt64(s.optionRecords)
    templates &+= UInt64(s.templates)
    expiredTemplates &+= UInt64(s.expiredTemplates)
    sequenceGaps &+= UInt64(s.sequenceGaps)
    lost &+= s.lost
    sequenceResets &+= UInt64(s.sequenceResets)
    evictedTemplates &+= UInt64(s.evictedTemplates)
    decodeErrors &+= UInt64(s.decodeErrors)
    heldSets &+= UInt64(s.heldSets)
    droppedSets &+= UInt64(s.droppedSets)
    lastSeen = max(lastSeen, s.lastSeen)
  }

  /// Adds another report's counts (lastSeen takes the later), e.g. to total several exporters.
  public mutating func add(_ o: ExporterReport) {
    var f = fields
    let g = o.fields
    for i in f.indices where i != Self.lastSeenField { f[i] &+= g[i] }
    f[Self.lastSeenField] = UInt64(bitPattern: max(lastSeen, o.lastSeen))
    fields = f
  }
}
