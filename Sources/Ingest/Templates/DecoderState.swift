import Storage

/// An exporter and one of its observation domains (IPFIX) or source ids (v9).
struct DomainKey: Hashable, Sendable {
  var exporter: IPAddress
  var domain: UInt32
}

/// Where a template lives: exporter address, domain and template id (PITFALLS 3).
struct TemplateKey: Hashable, Sendable {
  var exporter: IPAddress
  var domain: UInt32
  var id: UInt16

  var domainKey: DomainKey { DomainKey(exporter: exporter, domain: domain) }
}

/// What the decoder learnt about one domain: sequence, times, sampling, application names.
struct DomainState: Sendable {
  /// The sequence number the next message should carry; nil when unknown.
  var nextSequence: UInt32?
  /// systemInitTimeMilliseconds from options data (IPFIX sysUpTime-relative times).
  var systemInitMillis: Int64?
  /// Sampling rate from options data without a sampler id.
  var defaultSampling: UInt64?
  /// Sampling rates by sampler / selector id, from options data.
  var samplers: [UInt64: UInt64] = [:]
  /// Application names by RFC 6759 id (see ``ApplicationID/key(engine:selector:)``).
  var appNames: [UInt64: String] = [:]
}

/// Per exporter address: statistics and how many templates it holds.
struct ExporterState: Sendable {
  var stats = ExporterStatistics()
  var templateCount = 0
}

/// What a data set needs from its message header to be decoded (now or when held).
struct MessageContext: Sendable, Equatable {
  /// 5, 9 or 10.
  var version: UInt16
  /// The export time in ms since the epoch.
  var exportMillis: Int64
  /// The v5/v9 header sysUptime (ms); nil for IPFIX.
  var sysUptime: UInt32?
  /// The v5 header sampling interval.
  var headerSampling: UInt64?
}

/// A data set waiting for its template.
struct HeldSet: Sendable {
  var key: TemplateKey
  var bytes: [UInt8]
  var context: MessageContext
  var receivedAt: Int64
}
