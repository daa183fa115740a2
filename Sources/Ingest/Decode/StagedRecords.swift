import Storage

/// Records of consecutive data sets that decode alike, gathered so that one column pass
/// decodes them all (``FlowDecoder/decodeColumns(_:_:_:_:ctx:key:into:)``).
///
/// A column pass costs a fixed amount per column on top of its per-record work; a datagram
/// of 30 records pays that fixed part once per datagram and column. Sets of one template,
/// from one exporter and domain, whose messages agree on everything the decoding reads
/// (``decodesAlike(_:)``) and with no options data applied in between (``epoch``), decode to
/// the same rows whether their records are decoded one set at a time or together.
///
/// The records are copied (the datagrams they came from need not outlive the call), so the
/// rows appear when the stage is finished: at the first set that does not decode alike,
/// before any row decoded another way, and when the owner asks
/// (``FlowDecoder/finishStaged(into:)``).
struct StagedRecords: Sendable {
  /// The template's column plan.
  let plan: ColumnPlan
  /// Exporter, domain and template id.
  let key: TemplateKey
  /// The first staged set's message context.
  let ctx: MessageContext
  /// The domain's state when the first set was staged (sampling, names, system init time).
  let state: DomainState?
  /// ``FlowDecoder/stateEpoch`` when the first set was staged.
  let epoch: Int
  /// Records staged.
  var count = 0

  /// The most records staged before they are decoded.
  static let maxRecords = 512
  /// The most bytes staged before they are decoded (a bound on the stage's memory whatever the
  /// record length; one larger set is still staged whole).
  static let maxBytes = 1 << 18

  /// True when a set with message context `other` decodes exactly as it would with ``ctx``:
  /// with absolute start and end times only the header's sampling rate is read (as the
  /// fallback rate); otherwise the whole context is.
  func decodesAlike(_ other: MessageContext) -> Bool {
    if plan.startAbs != nil, plan.endAbs != nil {
      return other.headerSampling == ctx.headerSampling
    }
    return other == ctx
  }
}

extension FlowDecoder {
  /// Records staged and not yet appended to a builder.
  public var stagedRecords: Int { staged?.count ?? 0 }

  /// Stages the `n` records at `start` of a data set of `plan`, first finishing the stage
  /// when the set does not decode like the records in it.
  mutating func stage(
    _ plan: ColumnPlan, _ base: UnsafeRawPointer, _ start: Int, count n: Int,
    ctx: MessageContext, key: TemplateKey, into builder: inout FlowBatchBuilder
  ) {
    if let s = staged,
      s.plan !== plan || s.key != key || s.epoch != stateEpoch || !s.decodesAlike(ctx)
        || s.count + n > StagedRecords.maxRecords
        || stagedBytes.count + n * plan.recordLength > StagedRecords.maxBytes
    {
      finishStaged(into: &builder)
    }
    if staged == nil {
      staged = StagedRecords(
        plan: plan, key: key, ctx: ctx, state: domains[key.domainKey], epoch: stateEpoch)
    }
    stagedBytes.append(
      contentsOf: UnsafeRawBufferPointer(start: base + start, count: n * plan.recordLength))
    staged!.count += n
  }

  /// Decodes the staged records into `builder` (nothing when none are staged).
  public mutating func finishStaged(into builder: inout FlowBatchBuilder) {
    guard let s = staged else { return }
    staged = nil
    // The bytes leave `self` while the (mutating) decoding reads them.
    var bytes: [UInt8] = []
    swap(&bytes, &stagedBytes)
    bytes.withUnsafeBytes { p in
      let run = RecordRun(base: p.baseAddress!, stride: s.plan.recordLength, count: s.count)
      decodeRun(s.plan, run, ctx: s.ctx, key: s.key, state: s.state, into: &builder)
    }
    bytes.removeAll(keepingCapacity: true)
    swap(&bytes, &stagedBytes)
  }
}
