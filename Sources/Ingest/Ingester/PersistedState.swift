import Storage

/// Reads the collector's saved state (exporter reports and the collector summary) from a data
/// directory's catalog, through a ``StoreReader``, while a writer may hold the directory.
public enum PersistedState {
  /// The saved exporter reports by address, and the collector summary if one was saved.
  ///
  /// - Throws: ``StorageError/notAStore(_:)`` when `directory` holds no catalog;
  ///   ``StorageError/catalog(_:)`` when it cannot be read.
  public static func read(directory: String) throws(StorageError) -> (
    exporters: [(address: IPAddress, report: ExporterReport)], summary: CollectorSummary?
  ) {
    var exporters: [(IPAddress, ExporterReport)] = []
    var summary: CollectorSummary?
    for (key, value) in try StoreReader(directory: directory).state(scope: ExporterReport.scope) {
      if key == CollectorSummary.key {
        summary = CollectorSummary(encoded: value)
      } else if let a = IPAddress(key), let r = ExporterReport(encoded: value) {
        exporters.append((a, r))
      }
    }
    return (exporters.sorted { $0.0 < $1.0 }, summary)
  }
}
