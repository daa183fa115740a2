import Foundation
import Ingest
import Storage
import Testing

@testable import Monitoring

/// The metrics' own logic, without a collector: counters follow running totals, the exporter
/// label is bounded (later exporters summed under `other`, each series monotonic), store events
/// are counted and timed, and the HTTP endpoint answers as Prometheus expects.
@Suite struct ServeMetricsTests {
  /// `name{labels} value` lines of an exposition, by name and labels.
  static func samples(_ m: ServeMetrics) -> [String: Double] {
    var out: [String: Double] = [:]
    for line in String(decoding: m.exposition(), as: UTF8.self).split(separator: "\n")
    where !line.hasPrefix("#") {
      guard let space = line.lastIndex(of: " "), let v = Double(line[line.index(after: space)...])
      else { continue }
      out[String(line[..<space])] = v
    }
    return out
  }

  static func figures(_ records: [UInt32: UInt64]) -> ServeFigures {
    var exporters: [IPAddress: ExporterReport] = [:]
    var templates: [IPAddress: Int] = [:]
    for (host, n) in records {
      var r = ExporterReport()
      r.records = n
      r.evictedTemplates = n * 2
      exporters[IPAddress(v4: 0x0A00_0000 | host)] = r
      templates[IPAddress(v4: 0x0A00_0000 | host)] = Int(host) + 1
    }
    var c = CollectorSummary()
    c.received = 100
    c.dropped = 7
    c.oversize = 2
    c.socketDrops = 3
    return ServeFigures(
      collector: c, exporters: exporters, templates: templates, tables: [], walBytes: 4096)
  }

  @Test func exporterLabelsAreBoundedAndSeriesOnlyGrow() {
    let m = ServeMetrics(maxExporterLabels: 2)
    m.update(Self.figures([1: 1, 2: 2, 3: 3, 4: 4, 5: 5]))
    var s = Self.samples(m)
    #expect(s["flowstore_exporter_records_total{exporter=\"10.0.0.1\"}"] == 1)
    #expect(s["flowstore_exporter_records_total{exporter=\"10.0.0.2\"}"] == 2)
    #expect(s["flowstore_exporter_records_total{exporter=\"other\"}"] == 12)
    #expect(s["flowstore_exporter_template_evictions_total{exporter=\"other\"}"] == 24)
    #expect(s["flowstore_exporter_templates{exporter=\"10.0.0.2\"}"] == 3)
    #expect(s["flowstore_exporter_templates{exporter=\"other\"}"] == 15, "4 + 5 + 6")
    #expect(s["flowstore_dropped_datagrams_total{cause=\"queue\"}"] == 5)
    #expect(s["flowstore_dropped_datagrams_total{cause=\"kernel\"}"] == 3)
    #expect(s["flowstore_wal_bytes"] == 4096)
    // 10.0.0.0 sorts first but comes after the labels are taken: it joins `other`.
    m.update(Self.figures([0: 7, 1: 11, 2: 12, 3: 13, 4: 14, 5: 15]))
    s = Self.samples(m)
    #expect(s["flowstore_exporter_records_total{exporter=\"10.0.0.1\"}"] == 11)
    #expect(s["flowstore_exporter_records_total{exporter=\"10.0.0.2\"}"] == 12)
    #expect(s["flowstore_exporter_records_total{exporter=\"other\"}"] == 49)
    #expect(s.keys.filter { $0.hasPrefix("flowstore_exporter_records_total{") }.count == 3)
    #expect(s["flowstore_exporters"] == 6)
    #expect(s["flowstore_exporter_templates{exporter=\"other\"}"] == 16, "1 + 4 + 5 + 6")
    // A total that falls (an exporter forgotten) leaves the counter where it was.
    m.update(Self.figures([1: 11, 2: 12]))
    #expect(Self.samples(m)["flowstore_exporter_records_total{exporter=\"other\"}"] == 49)
  }

  @Test func storeEventsAreCountedAndTimed() {
    let m = ServeMetrics()
    m.record(.sealed(segments: 2, rows: 1000, bytes: 5000, nanoseconds: 30_000_000))
    m.record(.sealed(segments: 1, rows: 10, bytes: 50, nanoseconds: 2_000_000_000))
    m.record(.walSynced(nanoseconds: 300_000))
    m.record(.retentionDropped(segments: 4))
    m.storeErrorOccurred()
    let s = Self.samples(m)
    #expect(s["flowstore_sealed_segments_total"] == 3)
    #expect(s["flowstore_sealed_rows_total"] == 1010)
    #expect(s["flowstore_sealed_bytes_total"] == 5050)
    #expect(s["flowstore_seal_duration_seconds_count"] == 2)
    #expect(s["flowstore_seal_duration_seconds_bucket{le=\"0.05\"}"] == 1)
    #expect(s["flowstore_seal_duration_seconds_bucket{le=\"2.5\"}"] == 2)
    #expect(abs((s["flowstore_seal_duration_seconds_sum"] ?? 0) - 2.03) < 1e-9)
    #expect(s["flowstore_wal_sync_duration_seconds_bucket{le=\"0.00025\"}"] == 0)
    #expect(s["flowstore_wal_sync_duration_seconds_bucket{le=\"0.0005\"}"] == 1)
    #expect(s["flowstore_retention_dropped_segments_total"] == 4)
    #expect(s["flowstore_store_errors_total"] == 1)
  }

  @Test func endpointServesMetricsOnly() async throws {
    let server = try await MetricsServer.start(host: "127.0.0.1", port: 0) {
      Array("flowstore_x 1\n".utf8)
    }
    let base = "http://127.0.0.1:\(server.port)"
    let ok = try httpGet(base + "/metrics")
    #expect(ok.status == 200)
    #expect(ok.contentType == "text/plain; version=0.0.4; charset=utf-8")
    #expect(String(decoding: ok.body, as: UTF8.self) == "flowstore_x 1\n")
    #expect(try httpGet(base + "/metrics?x=1").status == 200)
    #expect(try httpGet(base + "/other").status == 404)
    await server.stop()
    #expect(throws: (any Error).self) { try httpGet(base + "/metrics") }
  }

  @Test func aPortInUseIsOneLine() async throws {
    let first = try await MetricsServer.start(host: "127.0.0.1", port: 0) { [] }
    do {
      _ = try await MetricsServer.start(host: "127.0.0.1", port: first.port) { [] }
      Issue.record("a second server bound the same port")
    } catch {
      #expect(error.description.hasPrefix("--metrics 127.0.0.1:\(first.port): cannot listen"))
    }
    await first.stop()
  }
}
