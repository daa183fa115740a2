import Testing

@testable import Collector

/// ``ReadPacer`` against the rule it states, computed here independently: under steady traffic
/// the pause settles where it fills a quarter of the buffer, capped by the burst allowance and
/// the longest pause; light traffic keeps the first pause; drops cut it to a quarter.
struct ReadPacerTests {
  static let ms: Int64 = 1_000_000

  /// The pause the rule asks for at `bytesPerSecond` into a buffer of `capacity`: a quarter of
  /// the buffer's worth at that rate, at most what a 1 GB/s burst takes to fill it and 50 ms, at
  /// least 1 ms; when that pause queues under 64 KiB, the initial 5 ms (burst-bounded) instead.
  static func expected(bytesPerSecond: Double, capacity: Int) -> Int64 {
    let steady = 0.25 * Double(capacity) / bytesPerSecond * 1e9
    let burst = Double(capacity)  // ns at one byte per ns
    let pause = max(ms, Int64(min(steady, burst, 50e6)))
    if bytesPerSecond * Double(pause) / 1e9 < 65_536 { return max(ms, Int64(min(5e6, burst))) }
    return pause
  }

  /// Steady rates from light to heavy, buffers from Debian's default to 128 MiB: the pause
  /// reaches the rule's value, never grows more than twofold at once, and once settled a pause
  /// at the floor aside, never lets the buffer fill past a quarter.
  @Test(arguments: [212_992 * 2, 8 << 20, 128 << 20, 256 << 10])
  func steadyTrafficSettles(capacity: Int) {
    for bytesPerSecond in [20e6, 92e6, 400e6, 2e9] {
      var p = ReadPacer()
      var previous = p.pause
      for _ in 0..<20 {
        let queued = Int(bytesPerSecond * Double(p.pause) / 1e9)
        p.observe(elapsed: p.pause, queued: queued, capacity: capacity, drops: 0)
        #expect(p.pause <= 2 * previous && p.pause >= ReadPacer.shortest)
        previous = p.pause
      }
      let want = Self.expected(bytesPerSecond: bytesPerSecond, capacity: capacity)
      let fill = bytesPerSecond * Double(p.pause) / 1e9
      #expect(abs(p.pause - want) <= want / 100 + 1, "\(bytesPerSecond) B/s into \(capacity)")
      if p.pause > ReadPacer.shortest {
        #expect(fill <= 0.25 * Double(capacity) * 1.01, "\(bytesPerSecond) B/s")
      }
    }
  }

  /// After a quiet spell (or light traffic) the pause is the initial one, so that a burst meets
  /// a short pause.
  @Test func lightTrafficKeepsTheInitialPause() {
    var p = ReadPacer()
    for _ in 0..<5 {
      p.observe(elapsed: p.pause, queued: 100 << 20 / 10, capacity: 128 << 20, drops: 0)
    }
    #expect(p.pause > ReadPacer.initial)
    p.observe(elapsed: p.pause, queued: ReadPacer.lightBytes - 1, capacity: 128 << 20, drops: 0)
    #expect(p.pause == ReadPacer.initial)
    p.observe(elapsed: p.pause, queued: 0, capacity: 128 << 20, drops: 0)
    #expect(p.pause == ReadPacer.initial)
  }

  /// Drops cut the pause to a quarter (not below the floor) and are reported once each, as
  /// the difference from the last count (from zero at the first), across the counter's wrap.
  @Test func dropsShortenThePause() {
    var p = ReadPacer()
    #expect(p.observe(elapsed: 5 * Self.ms, queued: 4 << 20, capacity: 128 << 20, drops: 0) == 0)
    let before = p.pause
    #expect(p.observe(elapsed: before, queued: 4 << 20, capacity: 128 << 20, drops: 5) == 5)
    #expect(p.pause == max(ReadPacer.shortest, before / 4))
    #expect(p.observe(elapsed: p.pause, queued: 0, capacity: 128 << 20, drops: 5) == 0)
    var q = ReadPacer()
    #expect(
      q.observe(elapsed: Self.ms, queued: 0, capacity: 1 << 20, drops: UInt32.max - 1) == UInt32.max
        - 1)
    #expect(q.observe(elapsed: Self.ms, queued: 0, capacity: 1 << 20, drops: 2) == 4)
    for k in 0..<10 {
      q.observe(elapsed: Self.ms, queued: 1 << 19, capacity: 1 << 20, drops: UInt32(10 + k))
      #expect(q.pause == ReadPacer.shortest)
    }
  }
}
