import Storage

extension FlowDecoder {
  /// Decodes the records of one data set with template `t`; returns how many were decoded.
  /// Trailing bytes shorter than a record are set padding.
  mutating func decodeRecords(
    _ t: Template, _ base: UnsafeRawPointer, _ start: Int, _ end: Int, ctx: MessageContext,
    key: TemplateKey, into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) -> Int {
    if usesColumnPlans, let plan = t.plan {
      let n = decodeColumns(plan, base, start, end, ctx: ctx, key: key, into: &builder)
      outcome.records += n
      if n > 0, !t.unmapped.isEmpty { countUnknown(t.unmapped, n) }
      return n
    }
    // Rows decoded record by record follow the staged ones; options data may change what
    // those decode with.
    finishStaged(into: &builder)
    let dkey = key.domainKey
    var state = domains[dkey] ?? DomainState()
    var n = 0
    var pos = start
    let slots = t.slots
    if t.isFixed {
      let length = t.minLength
      while end - pos >= length {
        var r = FlowRecord()
        var o = pos
        for s in slots {
          let l = Int(s.length)
          r.set(s.kind, base, o, l)
          o &+= l
        }
        if t.isOptions {
          applyOptions(r, to: &state)
        } else {
          emit(
            r, ctx: ctx, state: state, exporter: key.exporter, domain: key.domain,
            into: &builder)
        }
        n += 1
        pos += length
      }
    } else {
      while end - pos >= t.minLength {
        var r = FlowRecord()
        var o = pos
        var ok = true
        for s in slots {
          var l = Int(s.length)
          if s.length == FieldSpecifier.variableLength {
            guard o < end else {
              ok = false
              break
            }
            l = Int(BigEndian.u8(base, o))
            o += 1
            if l == 255 {
              guard end - o >= 2 else {
                ok = false
                break
              }
              l = Int(BigEndian.u16(base, o))
              o += 2
            }
          }
          guard end - o >= l else {
            ok = false
            break
          }
          r.set(s.kind, base, o, l)
          o += l
        }
        guard ok else {
          if !Self.allZero(base, pos, end) {
            outcome.fail(.truncatedRecord(templateID: t.id))
          }
          break
        }
        if t.isOptions {
          applyOptions(r, to: &state)
        } else {
          emit(
            r, ctx: ctx, state: state, exporter: key.exporter, domain: key.domain,
            into: &builder)
        }
        n += 1
        pos = o
      }
    }
    if t.isOptions {
      domains[dkey] = state
      stateEpoch &+= 1
      outcome.optionRecords += n
    } else {
      outcome.records += n
    }
    if n > 0, !t.unmapped.isEmpty { countUnknown(t.unmapped, n) }
    return n
  }

  private mutating func countUnknown(_ keys: [FieldKey], _ n: Int) {
    for k in keys {
      if let c = unknownFields[k] {
        unknownFields[k] = c + n
      } else if unknownFields.count < limits.maxUnknownFieldKeys {
        unknownFields[k] = n
      } else {
        limitCounters.unknownFieldKeysOverflow += n
      }
    }
  }

  /// Applies an options data record: system init time, sampling rates, application names.
  mutating func applyOptions(_ r: FlowRecord, to state: inout DomainState) {
    if let t = r.systemInitMillis { state.systemInitMillis = t }
    if let rate = r.ownSamplingRate {
      if let id = r.samplerID {
        if state.samplers[id] != nil || state.samplers.count < limits.maxOptionEntriesPerDomain {
          state.samplers[id] = rate
        } else {
          limitCounters.optionEntriesRejected += 1
        }
      } else {
        state.defaultSampling = rate
      }
    }
    if let selector = r.appSelector, let name = r.appName, !name.isEmpty {
      let k = ApplicationID.key(engine: r.appEngine, selector: selector)
      if state.appNames[k] != nil || state.appNames.count < limits.maxOptionEntriesPerDomain {
        state.appNames[k] = name
      } else {
        limitCounters.optionEntriesRejected += 1
      }
    }
  }

  /// Resolves times, sampling and application name, and appends the record.
  @inline(__always)
  mutating func emit(
    _ r: FlowRecord, ctx: MessageContext, state: DomainState, exporter: IPAddress,
    domain: UInt32, into builder: inout FlowBatchBuilder
  ) {
    let (start, end) = times(r, ctx: ctx, systemInit: r.systemInitMillis ?? state.systemInitMillis)
    var rate = r.ownSamplingRate
    if rate == nil, let id = r.samplerID { rate = state.samplers[id] }
    let sampling = UInt32(
      clamping: max(rate ?? state.defaultSampling ?? ctx.headerSampling ?? 1, 1))
    var app = r.appName
    if app == nil, let selector = r.appSelector {
      app =
        state.appNames[ApplicationID.key(engine: r.appEngine, selector: selector)]
        ?? ApplicationID.name(engine: r.appEngine, selector: selector)
    }
    builder.append(
      r, start: start, end: end, exporter: exporter, domain: domain, sampling: sampling, app: app)
  }

  /// Start and end of a record in ms since the epoch (PITFALLS 11); see
  /// ``resolveTimes(_:ctx:systemInit:unanchored:)``.
  @inline(__always)
  mutating func times(_ r: FlowRecord, ctx: MessageContext, systemInit: Int64?) -> (Int64, Int64) {
    return Self.resolveTimes(
      r.times, ctx: ctx, systemInit: systemInit, unanchored: &unanchoredUptimeRecords)
  }

  /// Start and end of a record in ms since the epoch (PITFALLS 11). Absolute times win; then
  /// sysUpTime-relative times (v5/v9 header uptime, else systemInitTimeMilliseconds, else
  /// ending at export time); then delta microseconds; then observation time; then export time.
  /// Counts a record whose uptimes had nothing to anchor them in `unanchored`.
  @inline(__always)
  static func resolveTimes(
    _ r: RecordTimes, ctx: MessageContext, systemInit: Int64?, unanchored: inout Int
  ) -> (Int64, Int64) {
    var s = r.startAbs
    var e = r.endAbs
    if s == nil || e == nil, r.startUptime != nil || r.endUptime != nil {
      let export = ctx.exportMillis
      if let up = ctx.sysUptime, ctx.version == 5 {
        // NetFlow v5, as nfdump computes it: boot time = export time - sysUptime, plus the
        // record's uptimes. A start above the end wrapped between the two (2^32 ms earlier);
        // an end more than 100 s above the header uptime means the uptime wrapped after the
        // flow ended, so both are 2^32 ms earlier (the 100 s allow for Cisco's CSCei12353).
        let boot = export - Int64(up)
        let wrappedSince = r.endUptime.map { $0 > up && $0 - up > 100_000 } ?? false
        let shift: Int64 = wrappedSince ? 1 << 32 : 0
        if e == nil, let v = r.endUptime { e = boot + Int64(v) - shift }
        if s == nil, let v = r.startUptime {
          let wrappedWithin = r.endUptime.map { v > $0 } ?? false
          s = boot + Int64(v) - shift - (wrappedWithin ? 1 << 32 : 0)
        }
      } else if let up = ctx.sysUptime {
        // NetFlow v9: boot time = export time - sysUptime, plus the switched time, as nfdump computes it:
        // a switched time above the header uptime counts as after boot (softflowd sends such
        // values), so an uptime wrap between flow start and export is not corrected.
        let boot = export - Int64(up)
        if s == nil, let v = r.startUptime { s = boot + Int64(v) }
        if e == nil, let v = r.endUptime { e = boot + Int64(v) }
      } else if let base = systemInit {
        if s == nil, let v = r.startUptime { s = Self.anchor(base, v, export) }
        if e == nil, let v = r.endUptime { e = Self.anchor(base, v, export) }
      } else {
        let ref = r.endUptime ?? r.startUptime!
        if s == nil, let v = r.startUptime { s = export - Int64(Int32(bitPattern: ref &- v)) }
        if e == nil, let v = r.endUptime { e = export - Int64(Int32(bitPattern: ref &- v)) }
        unanchored += 1
      }
    }
    if s == nil, let d = r.startDeltaMicros { s = ctx.exportMillis - Int64(d / 1000) }
    if e == nil, let d = r.endDeltaMicros { e = ctx.exportMillis - Int64(d / 1000) }
    if s == nil { s = r.observationMillis }
    if e == nil { e = r.observationMillis }
    let start = s ?? e ?? ctx.exportMillis
    return (start, e ?? start)
  }

  /// systemInit + uptime, unwrapped so that it lands within 2^31 ms before the export time.
  @inline(__always)
  static func anchor(_ base: Int64, _ uptime: UInt32, _ export: Int64) -> Int64 {
    // A system init time from the wire can be anything: no operation may trap, and the
    // unwrapping (at most 256 steps of 2^32 ms) happens only for a plausible span.
    let (t0, o1) = base.addingReportingOverflow(Int64(uptime))
    let (span, o2) = export.subtractingReportingOverflow(base)
    let (floor, o3) = export.subtractingReportingOverflow(1 << 31)
    guard !o1, !o2, !o3, span >= 0, span < (1 << 40) else { return t0 }
    var t = t0
    while t < floor { t &+= 1 << 32 }
    return t
  }
}
