import CoreMetrics
import Ingest
import Prometheus
import Storage
import Synchronization

/// The metrics of `flowstore serve`, as swift-metrics instruments backed by a swift-prometheus
/// registry: collector and per-exporter counts and store figures brought up to date from a
/// ``ServeFigures`` reading (``update(_:)``), and store events timed as they happen
/// (``record(_:)``). ``exposition()`` renders them in the Prometheus text format.
///
/// Names start with `flowstore_`; counters end in `_total`, durations are in seconds and sizes
/// in bytes. docs/OPERATIONS.md has a table of every metric.
public final class ServeMetrics: Sendable {
  private struct State {
    var totals: MonotonicCounters
    var gauges: Gauges
    var labels: ExporterLabels
  }
  private let registry = PrometheusCollectorRegistry()
  private let state: Mutex<State>
  private let sealDuration: CoreMetrics.Timer
  private let walSyncDuration: CoreMetrics.Timer
  private let sealedSegments: CoreMetrics.Counter
  private let sealedRows: CoreMetrics.Counter
  private let sealedBytes: CoreMetrics.Counter
  private let retentionDropped: CoreMetrics.Counter
  private let storeErrors: CoreMetrics.Counter

  /// Creates the instruments; at most `maxExporterLabels` exporters get a label of their own
  /// (the rest are summed under `exporter="other"`), bounding the number of series.
  public init(maxExporterLabels: Int = 100) {
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.durationHistogramBuckets = [
      "flowstore_seal_duration_seconds": [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60),
      ],
      "flowstore_wal_sync_duration_seconds": [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
      ],
    ]
    sealDuration = CoreMetrics.Timer(label: "flowstore_seal_duration_seconds", factory: factory)
    walSyncDuration = CoreMetrics.Timer(
      label: "flowstore_wal_sync_duration_seconds", factory: factory)
    sealedSegments = CoreMetrics.Counter(label: "flowstore_sealed_segments_total", factory: factory)
    sealedRows = CoreMetrics.Counter(label: "flowstore_sealed_rows_total", factory: factory)
    sealedBytes = CoreMetrics.Counter(label: "flowstore_sealed_bytes_total", factory: factory)
    retentionDropped = Counter(
      label: "flowstore_retention_dropped_segments_total", factory: factory)
    storeErrors = CoreMetrics.Counter(label: "flowstore_store_errors_total", factory: factory)
    state = Mutex(
      State(
        totals: MonotonicCounters(factory: factory), gauges: Gauges(factory: factory),
        labels: ExporterLabels(limit: maxExporterLabels)))
  }

  /// Brings every counter and gauge read from the collector and the store up to `figures`.
  public func update(_ figures: ServeFigures) {
    state.withLock { s in
      let c = figures.collector
      s.totals.set("flowstore_received_datagrams_total", to: c.received)
      for (cause, n) in [
        ("kernel", c.socketDrops), ("queue", c.dropped &- c.oversize), ("oversize", c.oversize),
        ("allow_list", c.rejected),
      ] {
        s.totals.set("flowstore_dropped_datagrams_total", [("cause", cause)], to: n)
      }
      s.totals.set("flowstore_stored_rows_total", to: c.rowsStored)
      s.totals.set("flowstore_lost_rows_total", to: c.rowsLost)
      s.totals.set("flowstore_decoder_limit_hits_total", to: c.limitHits)
      s.gauges.set("flowstore_templates", to: Double(c.templates))
      s.gauges.set("flowstore_exporters", to: Double(figures.exporters.count))
      let grouped = s.labels.group(figures.exporters)
      var held: [String: Int] = [:]
      for (a, n) in figures.templates { held[s.labels.label(a), default: 0] += n }
      for (label, r) in grouped {
        let exporter = [("exporter", label)]
        s.gauges.set("flowstore_exporter_templates", exporter, to: Double(held[label] ?? 0))
        for (name, n) in Self.exporterTotals(r) { s.totals.set(name, exporter, to: n) }
        s.gauges.set(
          "flowstore_exporter_last_seen_timestamp_seconds", exporter,
          to: Double(r.lastSeen) / 1000)
      }
      for t in figures.tables {
        let table = [("table", t.name)]
        s.gauges.set("flowstore_store_segments", table, to: Double(t.segments))
        s.gauges.set("flowstore_store_rows", table, to: Double(t.rows))
        s.gauges.set("flowstore_store_unsealed_rows", table, to: Double(t.unsealedRows))
        s.gauges.set("flowstore_store_bytes", table, to: Double(t.bytesOnDisk))
      }
      s.gauges.set("flowstore_wal_bytes", to: Double(figures.walBytes))
    }
  }

  /// The per-exporter counters and the report field each follows.
  static func exporterTotals(_ r: ExporterReport) -> [(String, UInt64)] {
    [
      ("flowstore_exporter_datagrams_total", r.datagrams),
      ("flowstore_exporter_records_total", r.records),
      ("flowstore_exporter_option_records_total", r.optionRecords),
      ("flowstore_exporter_template_records_total", r.templates),
      ("flowstore_exporter_template_evictions_total", r.evictedTemplates),
      ("flowstore_exporter_template_expirations_total", r.expiredTemplates),
      ("flowstore_exporter_sequence_gaps_total", r.sequenceGaps),
      ("flowstore_exporter_sequence_lost_total", r.lost),
      ("flowstore_exporter_sequence_resets_total", r.sequenceResets),
      ("flowstore_exporter_decode_errors_total", r.decodeErrors),
      ("flowstore_exporter_held_data_sets_total", r.heldSets),
      ("flowstore_exporter_dropped_data_sets_total", r.droppedSets),
      ("flowstore_exporter_queue_dropped_datagrams_total", r.queueDrops),
    ]
  }

  /// Counts and times what the store reports (pass it as ``StoreOptions/onEvent``).
  public func record(_ event: StoreEvent) {
    switch event {
    case .walSynced(let ns):
      walSyncDuration.recordNanoseconds(ns)
    case .sealed(let segments, let rows, let bytes, let ns):
      sealDuration.recordNanoseconds(ns)
      sealedSegments.increment(by: Int64(segments))
      sealedRows.increment(by: Int64(rows))
      sealedBytes.increment(by: Int64(bytes))
    case .retentionDropped(let segments):
      retentionDropped.increment(by: Int64(segments))
    }
  }

  /// Counts one error the store raised in the background (sealing, syncing, retention).
  public func storeErrorOccurred() {
    storeErrors.increment()
  }

  /// Every metric in the Prometheus text exposition format (version 0.0.4).
  public func exposition() -> [UInt8] {
    registry.emitToBuffer()
  }
}
