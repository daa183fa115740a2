import Ingest
import Storage

/// One reading of what `flowstore serve --metrics` exposes, taken by the caller when a scrape
/// arrives: the collector's counts as last saved, the per-exporter reports as last saved (the
/// figures `flowstore exporters` prints) and the store's tables (those `flowstore info` prints).
public struct ServeFigures: Sendable {
  /// Collector-wide counts of this run.
  public var collector: CollectorSummary
  /// Per-exporter counts, running across restarts.
  public var exporters: [IPAddress: ExporterReport]
  /// Templates held per exporter now.
  public var templates: [IPAddress: Int]
  /// Per-table figures (segments, rows, bytes on disk, rows not yet sealed).
  public var tables: [TableInfo]
  /// Bytes of the write-ahead log files.
  public var walBytes: Int

  /// Creates a reading from its parts.
  public init(
    collector: CollectorSummary, exporters: [IPAddress: ExporterReport],
    templates: [IPAddress: Int] = [:], tables: [TableInfo], walBytes: Int
  ) {
    self.collector = collector
    self.exporters = exporters
    self.templates = templates
    self.tables = tables
    self.walBytes = walBytes
  }
}
