import CoreMetrics

/// swift-metrics counters fed with running totals read from elsewhere (the collector's saved
/// counts): each ``set(_:_:to:)`` increments the counter by what the total grew since the last
/// reading. A total that falls (it cannot, for the figures fed here) leaves the counter as is.
struct MonotonicCounters {
  private struct Key: Hashable {
    var name: String
    var labels: [String]
  }
  private var counters: [Key: (counter: CoreMetrics.Counter, total: UInt64)] = [:]
  let factory: any MetricsFactory

  init(factory: any MetricsFactory) { self.factory = factory }

  /// Brings the counter `name` with `labels` up to `total` (created at 0 on first use).
  mutating func set(_ name: String, _ labels: [(String, String)] = [], to total: UInt64) {
    let key = Key(name: name, labels: labels.flatMap { [$0.0, $0.1] })
    let entry =
      counters[key] ?? (CoreMetrics.Counter(label: name, dimensions: labels, factory: factory), 0)
    if total > entry.total {
      entry.counter.increment(by: Int64(clamping: total - entry.total))
      counters[key] = (entry.counter, total)
    } else {
      counters[key] = entry
    }
  }
}

/// swift-metrics gauges by name and labels, created on first use.
struct Gauges {
  private var gauges: [[String]: CoreMetrics.Gauge] = [:]
  let factory: any MetricsFactory

  init(factory: any MetricsFactory) { self.factory = factory }

  /// Sets the gauge `name` with `labels` to `value`.
  mutating func set(_ name: String, _ labels: [(String, String)] = [], to value: Double) {
    let key = [name] + labels.flatMap { [$0.0, $0.1] }
    let gauge = gauges[key] ?? CoreMetrics.Gauge(label: name, dimensions: labels, factory: factory)
    gauges[key] = gauge
    gauge.record(value)
  }
}
