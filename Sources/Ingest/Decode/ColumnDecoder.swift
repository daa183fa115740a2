import Storage

extension FlowDecoder {
  /// Decodes a data set of a template with a ``ColumnPlan`` column by column: each column is
  /// filled for all records of the set in one loop, and columns the template does not carry
  /// get their NULLs in bulk. Appends exactly the rows ``decodeRecords`` would (when
  /// ``stagesRecords`` is on, later: see ``StagedRecords``); returns how many. The caller
  /// counts records and unknown fields.
  mutating func decodeColumns(
    _ plan: ColumnPlan, _ base: UnsafeRawPointer, _ start: Int, _ end: Int, ctx: MessageContext,
    key: TemplateKey, into b: inout FlowBatchBuilder
  ) -> Int {
    let n = (end - start) / plan.recordLength
    guard n > 0 else { return 0 }
    if stagesRecords {
      stage(plan, base, start, count: n, ctx: ctx, key: key, into: &b)
    } else {
      let run = RecordRun(base: base + start, stride: plan.recordLength, count: n)
      decodeRun(plan, run, ctx: ctx, key: key, state: domains[key.domainKey], into: &b)
    }
    return n
  }

  /// Appends the rows of the records of `run`, decoded with `plan` in the context of their
  /// message `ctx` and their domain's `state`.
  mutating func decodeRun(
    _ plan: ColumnPlan, _ run: RecordRun, ctx: MessageContext, key: TemplateKey,
    state: DomainState?, into b: inout FlowBatchBuilder
  ) {
    let n = run.count
    appendTimes(plan, run, ctx: ctx, systemInit: state?.systemInitMillis, into: &b)
    b.exporter.append(from: Constant(value: key.exporter, count: n))
    b.domain.append(from: Constant(value: key.domain, count: n))
    b.sampling.append(
      from: SamplingField(
        run: run, rate: plan.samplingRate, samplerID: plan.samplerID,
        samplers: state?.samplers ?? [:],
        fallback: state?.defaultSampling ?? ctx.headerSampling ?? 1))
    b.srcAddr.load(plan.src, run)
    b.dstAddr.load(plan.dst, run)
    b.nextHop.load(plan.nextHop, run)
    b.u8.load(plan, run)
    b.u16.load(plan, run)
    b.u32.load(plan, run)
    b.u64.load(plan, run)
    if let f = plan.applicationID {
      b.app.append(from: ApplicationField(run: run, field: f, names: state?.appNames ?? [:]))
    } else {
      b.app.appendNulls(n)
    }
    // Templates with text have no plan: a plan's records carry none.
    for k in b.texts.indices { b.texts[k].appendNulls(n) }
  }

  /// Appends the start and end times of a run (rules of ``resolveTimes(_:ctx:systemInit:unanchored:)``).
  @inline(__always)
  private mutating func appendTimes(
    _ plan: ColumnPlan, _ run: RecordRun, ctx: MessageContext, systemInit: Int64?,
    into b: inout FlowBatchBuilder
  ) {
    if let s = plan.startAbs, let e = plan.endAbs {
      // Both absolute: nothing else is consulted.
      b.time.append(from: TimeField(run: run, time: s))
      b.endTime.append(from: TimeField(run: run, time: e))
      return
    }
    if plan.startAbs == nil, plan.endAbs == nil, let su = plan.startUptime,
      let eu = plan.endUptime, let up = ctx.sysUptime, ctx.version != 5
    {
      // NetFlow v9 uptimes and nothing absolute: boot time plus each uptime. (v5 resolves a
      // record's start and end together, below.)
      let export = ctx.exportMillis
      b.time.append(from: UptimeField(run: run, field: su, export: export, uptime: up))
      b.endTime.append(from: UptimeField(run: run, field: eu, export: export, uptime: up))
      return
    }
    var unanchored = 0
    withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * run.count) { buf in
      let starts = buf.baseAddress!
      let ends = starts + run.count
      let p = run.base
      for i in 0..<run.count {
        let o = i &* run.stride
        let r = RecordTimes(
          startAbs: plan.startAbs.map { TimeField.millis($0, p, o) },
          endAbs: plan.endAbs.map { TimeField.millis($0, p, o) },
          startUptime: plan.startUptime?.read(p, o),
          endUptime: plan.endUptime?.read(p, o),
          startDeltaMicros: plan.startDeltaMicros?.read(p, o),
          endDeltaMicros: plan.endDeltaMicros?.read(p, o),
          observationMillis: plan.observationMillis?.read(p, o))
        (starts[i], ends[i]) = Self.resolveTimes(
          r, ctx: ctx, systemInit: systemInit, unanchored: &unanchored)
      }
      b.time.append(from: Copied(from: starts, count: run.count))
      b.endTime.append(from: Copied(from: ends, count: run.count))
    }
    unanchoredUptimeRecords += unanchored
  }
}

extension NullableColumn where T: FixedWidthInteger {
  /// Appends a run's values of `field` (masked with `mask`), or NULLs when it is absent.
  @inline(__always)
  mutating func load(_ field: FieldSource?, _ run: RecordRun, mask: T = ~0) {
    guard let field else { return appendNulls(run.count) }
    append(from: IntegerField(run: run, field: field, mask: mask))
  }
}

extension NullableColumn where T == IPAddress {
  /// Appends a run's addresses from `source`, or NULLs when the template has none.
  @inline(__always)
  mutating func load(_ source: AddressSource, _ run: RecordRun) {
    guard !source.isEmpty else { return appendNulls(run.count) }
    append(from: AddressField(run: run, source: source))
  }
}
