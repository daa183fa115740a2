import Storage

/// Decodes datagrams into the store: a ``FlowDecoder`` and a ``FlowBatchBuilder`` in front of a
/// ``FlowStore``, with template and exporter-statistics persistence in the store's catalog.
///
/// Used by the collector's worker thread and by `flowstore import`. Not thread-safe: one owner.
public struct FlowIngester: ~Copyable {
  /// The catalog state scope and key holding the decoder's templates.
  public static let templateScope = "ingest.templates"
  /// See ``templateScope``.
  public static let templateKey = "decoder"

  /// The store rows go to.
  public let store: FlowStore
  /// The decoder (templates, sequence numbers, statistics).
  public private(set) var decoder: FlowDecoder
  private var builder: FlowBatchBuilder
  private let batchRows: Int
  private let persistTemplates: Bool
  private var templatesDirty = false
  /// Persisted counts found at start, added to this run's.
  private var base: [IPAddress: ExporterReport] = [:]
  /// Reports as last saved.
  private var saved: [IPAddress: ExporterReport] = [:]
  /// Rows appended to the store by this ingester.
  public private(set) var rowsStored = 0
  /// Rows lost because the store refused a batch (disk full, I/O error).
  public private(set) var rowsLost = 0
  /// The last store error, if any.
  public private(set) var lastStoreError: StorageError?

  /// Rows a batch has room for past `batchRows`: more than one datagram of any usual size
  /// carries (a 64 KiB IPFIX message of 16-byte records holds about 4,000).
  static let batchHeadroom = 4_096

  /// Creates an ingester on `store`.
  ///
  /// - Parameters:
  ///   - limits: the decoder's bounds.
  ///   - batchRows: rows gathered before one store append.
  ///   - persistTemplates: restore templates from the catalog in ``restore()`` and save them on
  ///     ``saveTemplatesIfChanged()`` (the collector); false for a self-contained file import.
  public init(
    store: FlowStore, limits: DecoderLimits = DecoderLimits(), batchRows: Int = 65_536,
    persistTemplates: Bool
  ) {
    self.store = store
    self.decoder = FlowDecoder(limits: limits)
    // Datagrams of one template are decoded several at a time (see `StagedRecords`).
    self.decoder.stagesRecords = true
    self.batchRows = max(1, batchRows)
    // A batch is appended once a datagram takes it to `batchRows` or past: the headroom keeps
    // that last datagram's rows from doubling every column array (a copy, and twice the pages).
    self.builder = FlowBatchBuilder(capacity: min(self.batchRows, 65_536) + Self.batchHeadroom)
    self.persistTemplates = persistTemplates
  }

  /// Loads the persisted exporter counts (and, when persisting templates, the templates).
  /// Returns a one-line problem description when something saved could not be read.
  public mutating func restore() -> String? {
    var problem: String?
    do throws(StorageError) {
      for (key, value) in try store.state(scope: ExporterReport.scope) {
        if let a = IPAddress(key), let r = ExporterReport(encoded: value) {
          base[a] = r
          saved[a] = r
        }
      }
      if persistTemplates,
        let saved = try store.state(scope: Self.templateScope).first(where: {
          $0.key == Self.templateKey
        })
      {
        do throws(TemplateStateError) {
          try decoder.restoreTemplateState(saved.value)
        } catch {
          problem = "saved templates ignored: \(error)"
        }
      }
    } catch {
      problem = "saved collector state unreadable: \(error.description)"
    }
    return problem
  }

  /// Rows decoded but not yet appended to the store.
  public var pendingRows: Int { builder.count + decoder.stagedRecords }

  /// Decodes one datagram; appends to the store when a batch is full.
  @discardableResult
  public mutating func ingest(
    _ payload: UnsafeRawBufferPointer, exporter: IPAddress, receivedAt: Int64
  ) -> DecodeOutcome {
    let o = decoder.decode(payload, exporter: exporter, receivedAt: receivedAt, into: &builder)
    if o.templates > 0 || o.withdrawals > 0 { templatesDirty = true }
    if pendingRows >= batchRows { flush() }
    return o
  }

  /// Appends the pending rows to the store. A store failure is recorded (``rowsLost``,
  /// ``lastStoreError``) and returned; the rows are then gone.
  @discardableResult
  public mutating func flush() -> StorageError? {
    decoder.finishStaged(into: &builder)
    guard builder.count > 0 else { return nil }
    let n = builder.count
    defer { builder.reset(reusing: store.takeSpareBatch()) }
    do throws(StorageError) {
      try store.append(builder.build())
      rowsStored += n
      return nil
    } catch {
      rowsLost += n
      lastStoreError = error
      return error
    }
  }

  /// Expires stale templates and held sets as of `now` (ms).
  public mutating func expire(now: Int64) {
    if decoder.expire(now: now).templates > 0 { templatesDirty = true }
  }

  /// Saves the templates to the catalog when they changed since the last save.
  public mutating func saveTemplatesIfChanged() throws(StorageError) {
    guard persistTemplates, templatesDirty else { return }
    try store.putState(
      scope: Self.templateScope, key: Self.templateKey, value: decoder.templateState())
    templatesDirty = false
  }

  /// Counts per exporter: persisted base + this run's decoder statistics + `queueDrops`.
  public func reports(queueDrops: [IPAddress: UInt64] = [:]) -> [IPAddress: ExporterReport] {
    var out = base
    for (a, s) in decoder.allStatistics { out[a, default: ExporterReport()].add(s) }
    for (a, n) in queueDrops {
      out[a, default: ExporterReport()].queueDrops &+= n
      out[a, default: ExporterReport()].datagrams &+= n
    }
    return out
  }

  /// Writes the reports that changed since the last save (see ``reports(queueDrops:)``) to
  /// the catalog, and returns every report as saved.
  ///
  /// - Throws: the store's error when the catalog write fails (later saves retry).
  @discardableResult
  public mutating func saveReports(queueDrops: [IPAddress: UInt64] = [:]) throws(StorageError)
    -> [IPAddress: ExporterReport]
  {
    let all = reports(queueDrops: queueDrops)
    for (a, r) in all where saved[a] != r {
      try store.putState(scope: ExporterReport.scope, key: a.description, value: r.encoded())
      saved[a] = r
    }
    return all
  }

  /// Drops held data sets (counted) at the end of a run.
  public mutating func dropHeld() {
    decoder.dropHeldDataSets()
  }
}
