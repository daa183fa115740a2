import ArgumentParser
import Collector
import Monitoring
import Storage

/// `serve`'s metrics options: where to serve `/metrics`, and who may read it.
struct MetricsOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Serve Prometheus metrics at http://ADDR:PORT/metrics (a bare PORT: 127.0.0.1:PORT).",
      discussion: """
        Loopback only unless --metrics-public is given: the metrics name every exporter. \
        docs/OPERATIONS.md lists what each metric means.
        """,
      valueName: "[addr:]port"))
  var metrics: String?

  @Flag(help: "Allow --metrics on an address other hosts can reach (e.g. 0.0.0.0:9155).")
  var metricsPublic = false

  @Option(help: "Exporters with a metrics label of their own; later ones are summed as 'other'.")
  var metricsMaxExporters: Int = 100

  /// The address to serve metrics on, or nil without --metrics.
  ///
  /// - Throws: ``Failure/badInput(_:)`` for an address that does not parse, or one that is not
  ///   loopback without --metrics-public.
  func address() throws -> ListenAddress? {
    guard let text = metrics else { return nil }
    let parsed = Int(text).map { ListenAddress(host: "127.0.0.1", port: $0) } ?? ListenAddress(text)
    guard let a = parsed, (0...65535).contains(a.port) else {
      throw Failure.badInput(
        "--metrics \(text): expected PORT or ADDR:PORT with a numeric address, e.g. 127.0.0.1:9155"
      )
    }
    guard metricsPublic || Self.isLoopback(a.host) else {
      throw Failure.badInput(
        "--metrics \(text) is not a loopback address: other hosts could read the metrics, "
          + "which name every exporter; add --metrics-public to serve them there")
    }
    guard metricsMaxExporters >= 0 else {
      throw Failure.badInput("--metrics-max-exporters must not be negative")
    }
    return a
  }

  /// 127.0.0.0/8 and ::1.
  static func isLoopback(_ host: String) -> Bool {
    if host == "::1" { return true }
    let parts = host.split(separator: ".")
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
  }

  /// Starts the endpoint at `address`; each scrape reads the collector's saved counts and the
  /// store's figures (`reader` for the catalog's, `store` for the rows not yet sealed).
  func start(
    at address: ListenAddress, metrics: ServeMetrics, collector: Collector, store: FlowStore,
    reader: StoreReader
  ) async throws -> MetricsServer {
    do {
      return try await MetricsServer.start(host: address.host, port: address.port) {
        var tables = (try? reader.info(countingUnsealed: false)) ?? []
        for i in tables.indices {
          tables[i].unsealedRows = store.unsealedRows(table: tables[i].name)
        }
        metrics.update(
          ServeFigures(
            collector: collector.currentSummary, exporters: collector.currentReports,
            templates: collector.currentTemplateCounts, tables: tables,
            walBytes: reader.walBytes()))
        return metrics.exposition()
      }
    } catch {
      throw Failure.badInput(error.description)
    }
  }
}
