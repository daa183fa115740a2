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

/// Per exporter address: statistics, how many templates it holds (in all and per domain) and
/// their eviction order.
struct ExporterState: Sendable {
  var stats = ExporterStatistics()
  var templateCount = 0
  /// Templates held per domain (domains without templates are absent).
  var domainTemplates: [UInt32: Int] = [:]
  /// Templates as defined, oldest first: the candidates while no data set has used them.
  var unused = EvictionQueue()
  /// Templates as used by data sets, least recently first.
  var recent = EvictionQueue()
}

/// Template keys in the order of the decoder's use clock, oldest first, with stale entries
/// left in place: an entry is live while its template is present and still carries the entry's
/// tick (``Template/touched``). Stale entries at the front are dropped as they are met, and the
/// rest once they outnumber the live ones (``FlowDecoder/enqueue(_:tick:used:)``), so the cost
/// per template event is constant on average.
struct EvictionQueue: Sendable {
  var keys: [TemplateKey] = []
  var ticks: [UInt64] = []
  /// The first entry not yet dropped.
  var head = 0

  var count: Int { keys.count - head }

  mutating func append(_ key: TemplateKey, _ tick: UInt64) {
    keys.append(key)
    ticks.append(tick)
  }

  /// The first live entry that `matches`, dropping the stale entries before the first live one.
  mutating func first(
    live: (TemplateKey, UInt64) -> Bool, matches: (TemplateKey) -> Bool
  ) -> TemplateKey? {
    var i = head
    while i < keys.count {
      if live(keys[i], ticks[i]) {
        if matches(keys[i]) { return keys[i] }
      } else if i == head {
        head += 1
      }
      i += 1
    }
    return nil
  }

  /// Keeps only the live entries.
  mutating func compact(live: (TemplateKey, UInt64) -> Bool) {
    var k: [TemplateKey] = []
    var t: [UInt64] = []
    for i in head..<keys.count where live(keys[i], ticks[i]) {
      k.append(keys[i])
      t.append(ticks[i])
    }
    (keys, ticks, head) = (k, t, 0)
  }
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
