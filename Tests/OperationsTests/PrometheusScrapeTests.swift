import Foundation
import Testing

/// `serve --metrics` scraped by a real Prometheus server (Debian's `prometheus`): the values
/// read back through Prometheus's HTTP API equal what `flowstore exporters` and `flowstore info`
/// print, across a restart (per-exporter counts run across restarts), with rows sealed by age
/// and rows not yet sealed.
@Suite(.serialized)
struct PrometheusScrapeTests {
  static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../docs/OPERATIONS.md").standardized

  @Test(
    .enabled(if: flowstoreBinary != nil, "the flowstore binary is not built beside the tests"),
    .enabled(
      if: PrometheusServer.binary != nil,
      "prometheus is not installed: apt-get install prometheus (make deps does)"),
    .timeLimit(.minutes(3)))
  func prometheusReadsWhatExportersAndInfoPrint() throws {
    let dir = try temporaryDirectory("prometheus")
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")

    // A first run stores 20,000 records and seals them at exit.
    do {
      let (serve, port) = try startServe(data: data, log: dir.appendingPathComponent("run1.log"))
      try generate(port: port, records: 20_000)
      try waitForRecords(data, 20_000)
      #expect(serve.stop() == 0)
    }
    let before = try Reports.read(data)
    let segmentsBefore = try #require(before.tables["flows"]?["segments"])
    #expect(segmentsBefore >= 1)

    // The second run serves metrics, seals what is older than 4 s.
    let metricsPort = freePort()
    let (serve, port) = try startServe(
      data: data, log: dir.appendingPathComponent("run2.log"),
      ["--metrics", "127.0.0.1:\(metricsPort)", "--seal-age", "4"])
    defer { serve.stop() }
    #expect(serve.output.contains("metrics at http://127.0.0.1:\(metricsPort)/metrics"))
    let prometheus = try PrometheusServer(
      scraping: "127.0.0.1:\(metricsPort)", directory: dir.appendingPathComponent("prom"))
    defer { prometheus.stop() }

    // A: 20,000 records, sealed by age before B arrives.
    try generate(port: port, records: 20_000, seed: 2)
    try waitForRecords(data, 40_000)
    try waitUntil("rows of run 2 sealed") {
      try Reports.read(data).tables["flows"]?["unsealed"] == 0
    }
    let afterA = try matchedReports(prometheus, data)
    #expect(afterA.tables["flows"]?["rows"] == 40_000)

    // B: 10,000 records, compared while they are not sealed yet (when the comparison is
    // quicker than the 4 s seal age, which it usually is) and again once they are.
    try generate(port: port, records: 10_000, seed: 3)
    try waitForRecords(data, 50_000)
    let unsealed = try matchedReports(prometheus, data)
    #expect(unsealed.exporters["127.0.0.1"]?["records"] == 50_000)
    try waitUntil("rows of B sealed") {
      try Reports.read(data).tables["flows"]?["unsealed"] == 0
    }
    let sealed = try matchedReports(prometheus, data)
    #expect(sealed.tables["flows"]?["rows"] == 50_000)
    #expect(sealed.collector["stored"] == 30_000, "run 2 stored A and B")

    // Seals during run 2, as the store's events counted them.
    let segments = try #require(sealed.tables["flows"]?["segments"])
    try waitUntil("seal counters scraped") {
      try prometheus.value("flowstore_sealed_segments_total") == segments - segmentsBefore
        && prometheus.value("flowstore_sealed_rows_total") == 30_000
    }
    #expect(try prometheus.value("flowstore_seal_duration_seconds_count") ?? 0 >= 2)
    #expect(try prometheus.value("flowstore_wal_sync_duration_seconds_count") ?? 0 >= 1)
    #expect(try prometheus.value("up{job=\"flowstore\"}") == 1)

    // Every metric served is described in docs/OPERATIONS.md.
    let names = try prometheus.query("{job=\"flowstore\"}", by: "__name__").keys
    let documented = try String(contentsOf: Self.docs, encoding: .utf8)
    for name in names where name.hasPrefix("flowstore_") {
      var base = name
      for suffix in ["_bucket", "_sum", "_count"] where base.hasSuffix(suffix) {
        base.removeLast(suffix.count)
      }
      #expect(documented.contains("`\(base)`"), "\(base) is not in docs/OPERATIONS.md")
    }
    #expect(names.count >= 30, "\(names.sorted())")
    #expect(serve.stop() == 0)
  }

  @Test(.enabled(if: flowstoreBinary != nil, "the flowstore binary is not built"))
  func metricsStayOnLoopbackUnlessAskedFor() throws {
    let dir = try temporaryDirectory("metrics-address")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try flowstore([
      "serve", "--data", dir.path, "--listen", "127.0.0.1:0", "--metrics", "0.0.0.0:9155",
    ])
    #expect(r.status == 1)
    #expect(r.err.contains("--metrics 0.0.0.0:9155 is not a loopback address"), "\(r.err)")
    #expect(r.err.contains("--metrics-public"))
    let bad = try flowstore(["serve", "--data", dir.path, "--metrics", "localhost"])
    #expect(bad.status == 1)
    #expect(bad.err.contains("expected PORT or ADDR:PORT"), "\(bad.err)")
  }

  /// Compares Prometheus's values with the reports until a reading in between two equal
  /// readings of the reports matches them (30 s at most); returns those reports.
  func matchedReports(_ p: PrometheusServer, _ data: URL) throws -> Reports {
    var mismatch = ""
    let end = Date().addingTimeInterval(30)
    while Date() < end {
      let r = try Reports.read(data)
      mismatch = try differences(p, r)
      if mismatch.isEmpty, try Reports.read(data) == r { return r }
      usleep(300_000)
    }
    Issue.record("Prometheus does not read what exporters and info print: \(mismatch)")
    return try Reports.read(data)
  }

  /// The values that differ between Prometheus and the reports, one per line.
  func differences(_ p: PrometheusServer, _ r: Reports) throws -> String {
    var expected: [(String, Int)] = []
    for (exporter, row) in r.exporters {
      let l = "{exporter=\"\(exporter)\"}"
      for (column, metric) in [
        ("datagrams", "datagrams"), ("records", "records"), ("templates", "template_records"),
        ("evicted", "template_evictions"), ("seq_gaps", "sequence_gaps"),
        ("lost", "sequence_lost"), ("seq_resets", "sequence_resets"),
        ("errors", "decode_errors"),
      ] {
        expected.append(("flowstore_exporter_\(metric)_total\(l)", row[column] ?? -1))
      }
      expected.append(
        (
          "flowstore_exporter_dropped_data_sets_total\(l) + "
            + "flowstore_exporter_queue_dropped_datagrams_total\(l)", row["drops"] ?? -1
        ))
    }
    let c = r.collector
    expected += [
      ("flowstore_received_datagrams_total", c["received"] ?? -1),
      ("flowstore_dropped_datagrams_total{cause=\"allow_list\"}", c["rejected"] ?? -1),
      ("flowstore_dropped_datagrams_total{cause=\"kernel\"}", c["kernel"] ?? -1),
      ("sum(flowstore_dropped_datagrams_total{cause=~\"queue|oversize\"})", c["dropped"] ?? -1),
      ("flowstore_stored_rows_total", c["stored"] ?? -1),
      ("flowstore_lost_rows_total", c["lost"] ?? -1),
      ("flowstore_templates", c["templates"] ?? -1),
      ("sum(flowstore_exporter_templates)", c["templates"] ?? -1),
      ("flowstore_decoder_limit_hits_total", c["limit hits"] ?? -1),
    ]
    for (table, t) in r.tables {
      let l = "{table=\"\(table)\"}"
      expected += [
        ("flowstore_store_segments\(l)", t["segments"] ?? -1),
        ("flowstore_store_rows\(l)", t["rows"] ?? -1),
        ("flowstore_store_unsealed_rows\(l)", t["unsealed"] ?? -1),
        ("flowstore_store_bytes\(l)", t["bytes"] ?? -1),
      ]
    }
    expected.append(("flowstore_wal_bytes", r.walBytes))
    var out: [String] = []
    for (q, want) in expected {
      let got = try p.value(q)
      if got != want { out.append("\(q) = \(got.map(String.init) ?? "none"), expected \(want)") }
    }
    if r.exporters.isEmpty || c.isEmpty || r.tables.isEmpty { out.append("empty reports: \(r)") }
    return out.joined(separator: "\n")
  }

  /// Waits until `exporters` counts `records` records from 127.0.0.1.
  func waitForRecords(_ data: URL, _ records: Int) throws {
    try waitUntil("\(records) records stored") {
      try Reports.read(data).exporters["127.0.0.1"]?["records"] == records
    }
  }
}
