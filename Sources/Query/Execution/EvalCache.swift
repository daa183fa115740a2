/// What a worker's vector evaluation may reuse from one batch to the next: the batches of one
/// block share their string dictionaries, so a function of the entries (lower, upper) is
/// computed once per block instead of once per batch. One cache per worker; not shared.
final class EvalCache {
  private struct Entry {
    var function: String
    /// The source dictionary, kept so its buffer address cannot be reused while cached.
    var source: [String]
    var mapped: [String]
  }
  private var entries: [Entry] = []

  /// `f` applied to every string of `source`, reused while the same dictionary comes back.
  func mapped(_ source: [String], _ function: String, _ f: (String) -> String) -> [String] {
    let address = source.withUnsafeBufferPointer { $0.baseAddress }
    for e in entries where e.function == function && e.source.count == source.count {
      if e.source.withUnsafeBufferPointer({ $0.baseAddress }) == address { return e.mapped }
    }
    let m = source.map(f)
    if entries.count >= 8 { entries.removeFirst() }
    entries.append(Entry(function: function, source: source, mapped: m))
    return m
  }
}
