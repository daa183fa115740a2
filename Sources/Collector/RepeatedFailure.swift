/// Reports a failure that recurs (a store append refused by a full disk, at every batch) once
/// when it starts, then at most once per ``interval`` seconds with what it cost meanwhile, and
/// once when it clears, so that the log says what happens without a line per batch.
///
/// Not thread-safe: one owner (the collector's worker, or behind a lock).
public struct RepeatedFailure: Sendable {
  /// What fails, for the messages ("store appends").
  public let subject: String
  /// Seconds between reports while it lasts.
  public let interval: Double
  /// Whether each failure drops received flows (counted in the reports).
  public let dropsFlows: Bool
  private var since: Double?
  private var lastReport = 0.0
  private var count = 0
  private var lost = 0
  private var lostTotal = 0

  /// Creates a tracker for failures of `subject`, reported every `interval` seconds;
  /// `dropsFlows` when each failure drops received flows.
  public init(subject: String, interval: Double = 10, dropsFlows: Bool = true) {
    self.subject = subject
    self.interval = interval
    self.dropsFlows = dropsFlows
  }

  /// Whether a failure is under way.
  public var failing: Bool { since != nil }

  /// Records a failure at `now` (seconds) costing `lost` flows; returns the line to log, if any.
  public mutating func failed(_ reason: String, lost: Int, now: Double) -> String? {
    count += 1
    self.lost += lost
    lostTotal += lost
    guard let start = since else {
      since = now
      lastReport = now
      count = 0
      self.lost = 0
      let drops =
        dropsFlows ? "; flows received meanwhile are dropped and counted (\(lost) so far)" : ""
      return "\(subject) failing: \(reason)\(drops); reported again every \(Int(interval)) s "
        + "while it lasts"
    }
    guard now - lastReport >= interval else { return nil }
    defer {
      lastReport = now
      count = 0
      self.lost = 0
    }
    let drops = dropsFlows ? " and \(self.lost) flows dropped" : ""
    return "\(subject) still failing after \(Int(now - start)) s: \(reason); \(count) failures"
      + "\(drops) in the last \(Int(now - lastReport)) s"
      + (dropsFlows ? ", \(lostTotal) in all" : "")
  }

  /// Records a success at `now`; returns the line to log when it ends a failure.
  public mutating func succeeded(now: Double) -> String? {
    guard let start = since else { return nil }
    defer {
      since = nil
      lostTotal = 0
    }
    let drops =
      dropsFlows
      ? "; \(lostTotal) flows were dropped meanwhile (counted as lost to store errors)" : ""
    return "\(subject) working again after \(Int((now - start).rounded())) s" + drops
  }
}
