import Storage

/// Decodes NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) export datagrams into flow
/// rows, keeping templates, options state, sequence numbers and statistics per exporter.
///
/// Pure Swift over raw bytes (standard library and `Storage` value types only), so it can be
/// fuzzed. Not thread-safe: use one decoder per receiving task. Malformed input never traps;
/// it is counted in ``DecodeOutcome`` and in the exporter's ``ExporterStatistics``.
public struct FlowDecoder: Sendable {
  /// The limits this decoder enforces.
  public let limits: DecoderLimits
  var templates: [TemplateKey: Template] = [:] {
    didSet { lastTemplate = nil }
  }
  /// The template found last and its key: the data sets of one exporter's stream, which use one
  /// template, skip the table. Any change to ``templates`` (a refresh included) clears it.
  var lastTemplate: (key: TemplateKey, template: Template)?
  /// Counts template events (definitions, and data sets using a template other than the last
  /// one found): the order of ``Template/touched`` for evictions.
  var useClock: UInt64 = 0
  var domains: [DomainKey: DomainState] = [:]
  var exporters: [IPAddress: ExporterState] = [:]
  /// The exporter admitted last: its next datagram skips the table lookup. Cleared whenever an
  /// exporter is forgotten.
  var lastAdmitted: IPAddress?
  var held: [HeldSet] = []
  var heldBytes = 0
  /// How often each limit was hit.
  public internal(set) var limitCounters = LimitCounters()
  /// Fields skipped because the decoder does not map them, counted per data record, by
  /// (enterprise, id).
  public internal(set) var unknownFields: [FieldKey: Int] = [:]
  /// Flow records whose sysUpTime-relative times had no systemInitTimeMilliseconds to anchor
  /// them (they end at the export time, keeping their duration).
  public internal(set) var unanchoredUptimeRecords = 0
  /// Whether data sets of templates with a ``ColumnPlan`` are decoded column by column (tests
  /// turn it off to compare with the record path).
  var usesColumnPlans = true
  /// Whether records of data sets with a column plan are staged and decoded several sets at a
  /// time, which saves a fixed cost per set and column (``StagedRecords``). Their rows then
  /// reach the builder later, so the owner calls ``finishStaged(into:)`` before it uses the
  /// builder's rows. Off by default; ``FlowIngester`` turns it on.
  public var stagesRecords = false
  /// Records waiting to be decoded together, and their bytes.
  var staged: StagedRecords?
  var stagedBytes: [UInt8] = []
  /// Counts changes of domain state that decoding reads (options data, evictions, restores):
  /// records staged under another epoch are decoded before a set of the new one is staged.
  var stateEpoch = 0

  /// Creates a decoder with no templates.
  public init(limits: DecoderLimits = DecoderLimits()) {
    self.limits = limits
  }

  /// Statistics for one exporter address, nil if it never sent anything.
  public func statistics(for exporter: IPAddress) -> ExporterStatistics? {
    exporters[exporter]?.stats
  }

  /// Statistics for every exporter tracked.
  public var allStatistics: [IPAddress: ExporterStatistics] {
    exporters.mapValues(\.stats)
  }

  /// The number of templates and options templates held, all exporters together.
  public var templateCount: Int { templates.count }

  /// Templates and options templates held per exporter address (those holding none are absent).
  public var templateCounts: [IPAddress: Int] {
    exporters.compactMapValues { $0.templateCount > 0 ? $0.templateCount : nil }
  }

  /// The number of data sets waiting for their template.
  public var heldDataSetCount: Int { held.count }

  /// Decodes one datagram (or a buffer holding several messages back to back) and appends its
  /// flow records to `builder`. Never throws: problems are counted in the returned outcome.
  ///
  /// - Parameters:
  ///   - datagram: the UDP payload.
  ///   - exporter: the sender's address (templates are kept per exporter).
  ///   - receivedAt: the receive time, ms since the epoch (template and held-set ageing).
  ///   - builder: where flow rows go.
  public mutating func decode(
    _ datagram: UnsafeRawBufferPointer, exporter: IPAddress, receivedAt: Int64,
    into builder: inout FlowBatchBuilder
  ) -> DecodeOutcome {
    var outcome = DecodeOutcome()
    guard admit(exporter, now: receivedAt) else {
      limitCounters.exportersRejected += 1
      outcome.fail(.tooManyExporters)
      return outcome
    }
    if let base = datagram.baseAddress, datagram.count >= 4 {
      decodeMessages(
        base, datagram.count, exporter: exporter, now: receivedAt, into: &builder,
        outcome: &outcome)
    } else {
      outcome.fail(.truncatedHeader)
    }
    // Through the values' index: the optional subscript's accessor allocated three times a call.
    if let i = exporters.index(forKey: exporter) {
      exporters.values[i].stats.add(outcome, now: receivedAt)
    }
    return outcome
  }

  /// Decodes one datagram given as an array; see ``decode(_:exporter:receivedAt:into:)``.
  public mutating func decode(
    _ datagram: [UInt8], exporter: IPAddress, receivedAt: Int64,
    into builder: inout FlowBatchBuilder
  ) -> DecodeOutcome {
    datagram.withUnsafeBytes {
      decode($0, exporter: exporter, receivedAt: receivedAt, into: &builder)
    }
  }

  /// Drops held data sets older than ``DecoderLimits/heldDataTimeout`` and templates older than
  /// ``DecoderLimits/templateTimeout`` as of `now`. Returns how many of each were removed.
  @discardableResult
  public mutating func expire(now: Int64) -> (templates: Int, heldSets: Int) {
    var nt = 0
    if let timeout = limits.templateTimeout {
      for (key, t) in templates where now - t.lastSeen > timeout {
        expireTemplate(key)
        nt += 1
      }
    }
    var outcome = DecodeOutcome()
    let nh = expireHeld(now: now, outcome: &outcome)
    return (nt, nh)
  }

  /// Drops every held data set (for example at shutdown), counting them as dropped.
  /// Returns how many were dropped.
  @discardableResult
  public mutating func dropHeldDataSets() -> Int {
    let n = held.count
    for h in held { exporters[h.key.exporter]?.stats.droppedSets += 1 }
    held.removeAll()
    heldBytes = 0
    return n
  }

  // MARK: - Messages

  private mutating func decodeMessages(
    _ base: UnsafeRawPointer, _ count: Int, exporter: IPAddress, now: Int64,
    into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) {
    var offset = 0
    while offset < count {
      let remain = count - offset
      if offset > 0 {
        if Self.allZero(base, offset, count) { return }
        if remain < 4 {
          outcome.fail(.trailingBytes(remain))
          return
        }
      }
      let version = BigEndian.u16(base, offset)
      if outcome.version == 0 { outcome.version = version }
      let consumed: Int?
      switch version {
      case 5:
        consumed = decodeV5(
          base, offset, remain, exporter: exporter, now: now, into: &builder, outcome: &outcome)
      case 9:
        consumed = decodeV9(
          base, offset, remain, exporter: exporter, now: now, into: &builder, outcome: &outcome)
      case 10:
        consumed = decodeIPFIX(
          base, offset, remain, exporter: exporter, now: now, into: &builder, outcome: &outcome)
      default:
        outcome.fail(offset == 0 ? .unsupportedVersion(version) : .trailingBytes(remain))
        consumed = nil
      }
      guard let consumed, consumed > 0 else { return }
      outcome.messages += 1
      offset += consumed
    }
  }

  static func allZero(_ base: UnsafeRawPointer, _ from: Int, _ to: Int) -> Bool {
    var i = from
    while i < to {
      if BigEndian.u8(base, i) != 0 { return false }
      i += 1
    }
    return true
  }

  /// NetFlow v5: 24-byte header, then `count` records of 48 bytes.
  private mutating func decodeV5(
    _ base: UnsafeRawPointer, _ start: Int, _ remain: Int, exporter: IPAddress, now: Int64,
    into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) -> Int? {
    guard remain >= 24 else {
      outcome.fail(.truncatedHeader)
      return nil
    }
    let count = BigEndian.u16(base, start + 2)
    let length = 24 + Int(count) * 48
    guard count >= 1, count <= 30, length <= remain else {
      outcome.fail(.badRecordCount(count))
      return nil
    }
    let uptime = BigEndian.u32(base, start + 4)
    let secs = Int64(BigEndian.u32(base, start + 8))
    let nsecs = Int64(BigEndian.u32(base, start + 12))
    let sequence = BigEndian.u32(base, start + 16)
    let domain =
      UInt32(BigEndian.u8(base, start + 20)) << 8 | UInt32(BigEndian.u8(base, start + 21))
    let interval = UInt64(BigEndian.u16(base, start + 22) & 0x3FFF)
    let ctx = MessageContext(
      version: 5, exportMillis: secs * 1000 + nsecs / 1_000_000, sysUptime: uptime,
      headerSampling: interval)
    let dkey = DomainKey(exporter: exporter, domain: domain)
    trackSequence(dkey, sequence, next: sequence &+ UInt32(count), outcome: &outcome)
    if usesColumnPlans {
      _ = decodeColumns(
        ColumnPlan.netFlowV5, base, start + 24, start + length, ctx: ctx,
        key: TemplateKey(exporter: exporter, domain: domain, id: 0), into: &builder)
      outcome.records += Int(count)
      return length
    }
    finishStaged(into: &builder)
    let state = domains[dkey] ?? DomainState()
    for i in 0..<Int(count) {
      let o = start + 24 + i * 48
      var r = FlowRecord()
      var at = o
      for s in ColumnPlan.netFlowV5Slots {
        r.set(s.kind, base, at, Int(s.length))
        at += Int(s.length)
      }
      emit(r, ctx: ctx, state: state, exporter: exporter, domain: domain, into: &builder)
    }
    outcome.records += Int(count)
    return length
  }

  /// NetFlow v9: 20-byte header, then flowsets to the end of the datagram.
  private mutating func decodeV9(
    _ base: UnsafeRawPointer, _ start: Int, _ remain: Int, exporter: IPAddress, now: Int64,
    into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) -> Int? {
    guard remain >= 20 else {
      outcome.fail(.truncatedHeader)
      return nil
    }
    let uptime = BigEndian.u32(base, start + 4)
    let secs = Int64(BigEndian.u32(base, start + 8))
    let sequence = BigEndian.u32(base, start + 12)
    let domain = BigEndian.u32(base, start + 16)
    let ctx = MessageContext(
      version: 9, exportMillis: secs * 1000, sysUptime: uptime, headerSampling: nil)
    let dkey = DomainKey(exporter: exporter, domain: domain)
    trackSequence(dkey, sequence, next: sequence &+ 1, outcome: &outcome)
    _ = decodeSets(
      base, start + 20, start + remain, ctx: ctx, dkey: dkey, now: now, into: &builder,
      outcome: &outcome)
    return remain
  }

  /// IPFIX: 16-byte header with the message length, then sets.
  private mutating func decodeIPFIX(
    _ base: UnsafeRawPointer, _ start: Int, _ remain: Int, exporter: IPAddress, now: Int64,
    into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) -> Int? {
    guard remain >= 16 else {
      outcome.fail(.truncatedHeader)
      return nil
    }
    let length = Int(BigEndian.u16(base, start + 2))
    guard length >= 16, length <= remain else {
      outcome.fail(.badMessageLength(length))
      return nil
    }
    let exportTime = Int64(BigEndian.u32(base, start + 4))
    let sequence = BigEndian.u32(base, start + 8)
    let domain = BigEndian.u32(base, start + 12)
    let ctx = MessageContext(
      version: 10, exportMillis: exportTime * 1000, sysUptime: nil, headerSampling: nil)
    let dkey = DomainKey(exporter: exporter, domain: domain)
    let records = decodeSets(
      base, start + 16, start + length, ctx: ctx, dkey: dkey, now: now, into: &builder,
      outcome: &outcome)
    // Checked after the sets, so that one table access both compares and stores: IPFIX counts
    // data records, and a held set hides its count, so the next message resynchronises.
    trackSequence(dkey, sequence, next: records.map { sequence &+ UInt32($0) }, outcome: &outcome)
    return length
  }

  /// Drops the domain states that hold nothing but a sequence number (see
  /// ``DecoderLimits/maxDomainStates``).
  private mutating func forgetSequenceOnlyDomains() {
    domains = domains.filter { _, s in
      s.systemInitMillis != nil || s.defaultSampling != nil || !s.samplers.isEmpty
        || !s.appNames.isEmpty
    }
  }

  /// Compares a message's sequence number with the expected one and stores the next.
  private mutating func trackSequence(
    _ dkey: DomainKey, _ sequence: UInt32, next: UInt32?, outcome: inout DecodeOutcome
  ) {
    if domains.count >= limits.maxDomainStates && domains[dkey] == nil {
      forgetSequenceOnlyDomains()
    }
    // One table access: store the next number, keep the expected one.
    var expected = next
    swap(&expected, &domains[dkey, default: DomainState()].nextSequence)
    if let expected, expected != sequence {
      let diff = Int32(bitPattern: sequence &- expected)
      if diff.magnitude > Self.sequenceWindow {
        outcome.sequenceResets += 1
      } else if diff > 0 {
        outcome.sequenceGaps += 1
        exporters[dkey.exporter]?.stats.lost += UInt64(diff)
      }
      // A step back within the window is a late (reordered) message.
    }
  }

  /// How far (in sequence units) a message's sequence number may be from the expected one and
  /// still count as a gap of that many lost units (forward) or a late message (back). A
  /// farther jump, either way, is a reset of the sequence (an exporter restart, or a sender
  /// whose numbers mean nothing), counted in ``ExporterStatistics/sequenceResets``, as nfdump
  /// counts sequence failures, and not as lost units: 65,536 export packets for v9, flows for
  /// v5, data records for IPFIX (over 2,000 datagrams of 30 records).
  public static let sequenceWindow: UInt32 = 65_536

  // MARK: - Sets

  /// Decodes the sets in `start..<end`. Returns the number of data records (flow and options)
  /// decoded, or nil when a data set was held (its record count is unknown).
  private mutating func decodeSets(
    _ base: UnsafeRawPointer, _ start: Int, _ end: Int, ctx: MessageContext, dkey: DomainKey,
    now: Int64, into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) -> Int? {
    let isV9 = ctx.version == 9
    var records: Int? = 0
    var pos = start
    while end - pos >= 4 {
      let setID = BigEndian.u16(base, pos)
      let length = Int(BigEndian.u16(base, pos + 2))
      guard length >= 4, length <= end - pos else {
        if !Self.allZero(base, pos, end) {
          outcome.fail(.badSetLength(setID: setID, length: length))
        }
        break
      }
      let body = pos + 4
      let bodyEnd = pos + length
      switch setID {
      case 0 where isV9, 2 where !isV9:
        decodeTemplateSet(
          base, body, bodyEnd, setID: setID, options: false, ctx: ctx, dkey: dkey, now: now,
          into: &builder, outcome: &outcome)
      case 1 where isV9, 3 where !isV9:
        decodeTemplateSet(
          base, body, bodyEnd, setID: setID, options: true, ctx: ctx, dkey: dkey, now: now,
          into: &builder, outcome: &outcome)
      case 0..<256:
        break  // reserved set ids: skipped by length
      default:
        let key = TemplateKey(exporter: dkey.exporter, domain: dkey.domain, id: setID)
        if let t = lookupTemplate(key, now: now) {
          let n = decodeRecords(
            t, base, body, bodyEnd, ctx: ctx, key: key, into: &builder, outcome: &outcome)
          records = records.map { $0 + n }
        } else {
          hold(key, base, body, bodyEnd, ctx: ctx, now: now, outcome: &outcome)
          records = nil
        }
      }
      pos = bodyEnd
    }
    return records
  }

  /// Finds a template for a data set, expiring it if it was not refreshed in time, and marks it
  /// used. The last template found is used again without a table access or a mark: no template
  /// changed since (any change clears it), and it was the last one used, so it is still the
  /// most recently used.
  private mutating func lookupTemplate(_ key: TemplateKey, now: Int64) -> Template? {
    if let last = lastTemplate, last.key == key {
      if let timeout = limits.templateTimeout, now - last.template.lastSeen > timeout {
        expireTemplate(key)
        return nil
      }
      return last.template
    }
    guard let found = templates[key] else { return nil }
    if let timeout = limits.templateTimeout, now - found.lastSeen > timeout {
      expireTemplate(key)
      return nil
    }
    noteUse(key)
    lastTemplate = (key, found)
    return found
  }

  private mutating func expireTemplate(_ key: TemplateKey) {
    removeTemplate(key)
    exporters[key.exporter]?.stats.expiredTemplates += 1
  }
}

extension ExporterStatistics {
  mutating func add(_ o: DecodeOutcome, now: Int64) {
    datagrams += 1
    messages += o.messages
    records += o.records
    optionRecords += o.optionRecords
    templates += o.templates
    withdrawals += o.withdrawals
    heldSets += o.heldSets
    releasedSets += o.releasedSets
    sequenceGaps += o.sequenceGaps
    sequenceResets += o.sequenceResets
    decodeErrors += o.errors
    lastSeen = now
  }
}
