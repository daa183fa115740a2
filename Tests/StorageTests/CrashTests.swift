import Foundation
import TestSupport
import Testing

@testable import Storage

@Suite struct CrashTests {
  /// Kills a writer process with SIGKILL at random moments, many times over one directory, and
  /// checks that every acknowledged row is stored exactly once and that every file still reads.
  /// Every other round writes its WAL with direct I/O, so each mode also replays what the other
  /// left behind (zero-padded files, torn entries).
  @Test func killNineNeverLosesAcknowledgedRows() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("flowstore-crashwriter").path
    try #require(
      FileManager.default.isExecutableFile(atPath: exe), "build flowstore-crashwriter first")
    var acknowledged = Set<UInt64>()
    var nextID: UInt64 = 1
    var rng = SplitMix(seed: UInt64(getpid()))
    let rounds = 24
    for round in 0..<rounds {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: exe)
      p.arguments = [dir, String(nextID)]
      var env = ProcessInfo.processInfo.environment
      env["FLOWSTORE_CRASH_DIRECT_IO"] = round % 2 == 1 ? "1" : "0"
      p.environment = env
      let out = Pipe()
      p.standardOutput = out
      try p.run()
      usleep(UInt32.random(in: 30_000...400_000, using: &rng))
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      var maxSeen = nextID
      for line in text.split(separator: "\n") {
        let f = line.split(separator: " ")
        guard f.count == 3, f[0] == "ack", let a = UInt64(f[1]), let n = UInt64(f[2]) else {
          continue
        }
        for id in a..<(a + n) { acknowledged.insert(id) }
        maxSeen = max(maxSeen, a + n)
      }
      // Leave room for a batch written but not acknowledged before the kill (at most 1,500 rows).
      nextID = maxSeen + 2000
      #expect(p.terminationReason == .uncaughtSignal, "round \(round)")
    }
    // Reopen as the writer (replays the WAL, cuts a torn tail), then read everything.
    try FlowStore(
      directory: dir,
      options: {
        var o = StoreOptions()
        o.backgroundTimer = false
        return o
      }()
    ).close()
    let reader = try StoreReader(directory: dir)
    #expect(try reader.verify(table: "flows").isEmpty)
    let snap = try reader.snapshot(table: "flows")
    let bytes = try #require(FlowSchema.flows.index(of: "bytes"))
    var seen: [UInt64: Int] = [:]
    for u in snap.units {
      guard case .uint64(let ids) = try u.read(columns: [bytes])[0].values else { continue }
      for id in ids { seen[id, default: 0] += 1 }
    }
    #expect(acknowledged.count > 1000)
    let missing = acknowledged.filter { seen[$0] == nil }
    #expect(missing.isEmpty, "\(missing.count) acknowledged rows lost")
    let duplicated = seen.filter { $0.value > 1 }
    #expect(duplicated.isEmpty, "\(duplicated.count) rows stored twice")
  }
}
