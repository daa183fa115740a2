import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping one
/// target every second, with its storage in a temporary folder; killed when released.
final class PrometheusServer {
  /// The server's binary, or nil when it is not installed.
  static let binary = which("prometheus")

  let port: Int
  let process: Background

  /// Starts Prometheus scraping `target` (`host:port`) every second; returns once it is ready.
  init(scraping target: String, directory: URL) throws {
    port = freePort()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let config = directory.appendingPathComponent("prometheus.yml")
    try """
    global:
      scrape_interval: 1s
      scrape_timeout: 1s
    scrape_configs:
      - job_name: flowstore
        static_configs:
          - targets: ['\(target)']
    """.write(to: config, atomically: true, encoding: .utf8)
    process = try Background(
      Self.binary!,
      [
        "--config.file=\(config.path)",
        "--storage.tsdb.path=\(directory.appendingPathComponent("tsdb").path)",
        "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
      ], log: directory.appendingPathComponent("prometheus.log"))
    let end = Date().addingTimeInterval(30)
    while Date() < end {
      if (try? Self.get("http://127.0.0.1:\(port)/-/ready")) != nil { return }
      guard process.process.isRunning else { break }
      usleep(200_000)
    }
    throw TestFailure("prometheus did not become ready: \(process.output)")
  }

  /// Kills the server.
  func stop() { process.stop() }

  /// The value of every series an instant `query` returns, by the value of `label` (the
  /// empty string for series without it).
  func query(_ query: String, by label: String = "") throws -> [String: Double] {
    var c = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
    c.queryItems = [URLQueryItem(name: "query", value: query)]
    // A literal + in a query string reads as a space.
    c.percentEncodedQuery = c.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
    let data = try Self.get(c.url!.absoluteString)
    guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      top["status"] as? String == "success", let d = top["data"] as? [String: Any],
      let result = d["result"] as? [[String: Any]]
    else { throw TestFailure("prometheus answered \(String(decoding: data, as: UTF8.self))") }
    var out: [String: Double] = [:]
    for series in result {
      let labels = series["metric"] as? [String: String] ?? [:]
      guard let v = series["value"] as? [Any], v.count == 2, let text = v[1] as? String,
        let value = Double(text)
      else { continue }
      out[labels[label] ?? ""] = value
    }
    return out
  }

  /// One instant value (nil when the query returns no series).
  func value(_ q: String) throws -> Int? {
    try query(q).values.first.map { Int($0) }
  }

  /// GETs `url` (status 200 required).
  static func get(_ url: String) throws -> Data {
    let r = try httpGet(url)
    guard r.status == 200 else { throw TestFailure("\(url): status \(r.status)") }
    return r.body
  }
}
