import Ingest
import Storage

/// Bounded cardinality for the `exporter` label: the first `limit` exporters seen keep their
/// address as label for the life of the process; every later one is counted under `other`.
///
/// Keeping assignments fixed keeps each series monotonic: a labelled exporter never moves into
/// `other`, so `other` only ever adds exporters and its sums never fall.
struct ExporterLabels {
  /// The label of exporters past the limit.
  static let other = "other"
  let limit: Int
  private(set) var assigned: [IPAddress: String] = [:]

  init(limit: Int) { self.limit = max(0, limit) }

  /// The reports grouped by label: each assigned exporter alone, the rest summed under `other`
  /// (present only when some exporter is there). New exporters are assigned in address order.
  mutating func group(_ reports: [IPAddress: ExporterReport]) -> [String: ExporterReport] {
    for a in reports.keys.sorted() where assigned[a] == nil && assigned.count < limit {
      assigned[a] = a.description
    }
    var out: [String: ExporterReport] = [:]
    for (a, r) in reports { out[label(a), default: ExporterReport()].add(r) }
    return out
  }

  /// The label of `exporter`: its address when it has one of its own, else `other`.
  func label(_ exporter: IPAddress) -> String { assigned[exporter] ?? Self.other }
}
