import Testing

@testable import Collector

/// A full disk fails every store append (one a batch, several a second at the reference rate):
/// before `RepeatedFailure`, `serve` logged a line for each. The full-disk campaign
/// (Tests/Campaign/fulldisk.py) checks the whole collector; this checks the schedule.
@Suite struct RepeatedFailureTests {
  /// Failures every 0.1 s for 35 s: one line at the start, one every 10 s, one when it clears,
  /// with every dropped flow accounted for.
  @Test func reportsOnceThenAtIntervalsThenOnRecovery() {
    var f = RepeatedFailure(subject: "store appends", interval: 10)
    var lines: [String] = []
    var t = 100.0
    for _ in 0..<350 {
      if let l = f.failed("no space left on device", lost: 7, now: t) { lines.append(l) }
      t += 0.1
    }
    #expect(lines.count == 4)
    #expect(lines[0].hasPrefix("store appends failing: no space left on device"))
    #expect(lines[1].hasPrefix("store appends still failing after 10 s"))
    #expect(f.failing)
    let end = f.succeeded(now: t)
    #expect(end?.contains("\(350 * 7) flows were dropped") == true)
    #expect(f.succeeded(now: t + 1) == nil)
    #expect(!f.failing)
    // A new failure starts a new report.
    #expect(f.failed("no space left on device", lost: 1, now: t + 2)?.contains("failing:") == true)
  }

  /// Without flows at stake (state saves) the lines say nothing of drops.
  @Test func withoutDropsTheLinesSayNoneOfThem() {
    var f = RepeatedFailure(subject: "saving collector state", interval: 10, dropsFlows: false)
    let first = f.failed("no space", lost: 0, now: 0)
    #expect(
      first == "saving collector state failing: no space; reported again every 10 s while it lasts")
    #expect(f.failed("no space", lost: 0, now: 2) == nil)
    #expect(f.succeeded(now: 4) == "saving collector state working again after 4 s")
  }
}
