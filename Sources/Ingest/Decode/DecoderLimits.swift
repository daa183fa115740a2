/// Bounds on the decoder's memory so a hostile or broken exporter cannot exhaust it.
///
/// When a bound is hit the decoder drops the new item and counts it in ``LimitCounters``
/// (and in the exporter's ``ExporterStatistics`` where it has one), except for templates: a new
/// template evicts an old one (see ``maxTemplatesPerExporter``).
public struct DecoderLimits: Sendable, Equatable {
  /// Exporter addresses tracked at once; exporters idle longer than ``templateTimeout`` are
  /// evicted to make room, otherwise datagrams from new exporters are dropped.
  public var maxExporters: Int = 4096
  /// Templates and options templates kept per exporter address (all domains together). A new
  /// template beyond it, or beyond ``maxTemplatesPerDomain``, evicts one of the address (or of
  /// the domain): first one that no data set has used, the oldest defined; when every one has
  /// been used, the least recently used. So a flood of templates that are never used evicts
  /// its own and leaves the templates in use in place.
  public var maxTemplatesPerExporter: Int = 2048
  /// Templates and options templates kept per (exporter address, observation domain or source
  /// id); see ``maxTemplatesPerExporter``.
  public var maxTemplatesPerDomain: Int = 512
  /// Fields in one template; longer templates are rejected.
  public var maxFieldsPerTemplate: Int = 512
  /// Data sets held while waiting for their template (all exporters together); the oldest is
  /// dropped when a new one does not fit.
  public var maxHeldDataSets: Int = 1024
  /// Bytes of held data sets (all exporters together).
  public var maxHeldBytes: Int = 4 << 20
  /// How long a held data set waits for its template (ms) before it is dropped.
  public var heldDataTimeout: Int64 = 15 * 60_000
  /// Templates not refreshed for this long (ms) expire; nil keeps them until withdrawn or
  /// redefined (some exporters send a template only once).
  public var templateTimeout: Int64? = 24 * 3_600_000
  /// Distinct (enterprise, id) keys counted as unknown fields.
  public var maxUnknownFieldKeys: Int = 4096
  /// Sampler and application-name entries learnt from options data, per domain.
  public var maxOptionEntriesPerDomain: Int = 16384
  /// Observation domains whose state is kept, over all exporters. When a new domain would
  /// pass it, the domains that hold only a sequence number are forgotten (their next message
  /// starts their count afresh), so a flood of random domains cannot grow memory without bound;
  /// domains with options state (sampling, applications, system init time) are kept.
  public var maxDomainStates: Int = 65_536

  /// The default limits.
  public init() {}
}

/// How often each limit was hit (items dropped because of it).
public struct LimitCounters: Sendable, Equatable {
  /// Datagrams dropped because ``DecoderLimits/maxExporters`` exporters were tracked.
  public var exportersRejected = 0
  /// Templates dropped because a template limit is zero (otherwise templates are evicted).
  public var templatesRejected = 0
  /// Templates evicted to make room for a new one (``DecoderLimits/maxTemplatesPerExporter``,
  /// ``DecoderLimits/maxTemplatesPerDomain``).
  public var templatesEvicted = 0
  /// Templates dropped by ``DecoderLimits/maxFieldsPerTemplate``.
  public var oversizedTemplates = 0
  /// Held data sets dropped by ``DecoderLimits/maxHeldDataSets`` or ``DecoderLimits/maxHeldBytes``.
  public var heldSetsDropped = 0
  /// Unknown-field occurrences not counted by key because the key table was full.
  public var unknownFieldKeysOverflow = 0
  /// Options entries (samplers, application names) dropped by the per-domain bound.
  public var optionEntriesRejected = 0

  /// Creates zeroed counters.
  public init() {}
}
