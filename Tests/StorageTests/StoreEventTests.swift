import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Storage

/// What the writer reports through `StoreOptions.onEvent` (the metrics of `serve`) matches
/// what it did, as the catalog tells: segments, rows and bytes sealed, segments dropped by
/// retention; and a WAL sync is reported only when appends waited for it.
@Suite struct StoreEventTests {
  @Test func eventsMatchTheCatalog() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let events = Mutex<[StoreEvent]>([])
    var options = StoreOptions()
    options.backgroundTimer = false
    options.blockRows = 1000
    options.onEvent = { e in events.withLock { $0.append(e) } }
    let store = try FlowStore(directory: dir, options: options)
    try store.sync()
    #expect(events.withLock { $0.isEmpty }, "a sync with nothing to write is not reported")
    try store.append(randomFlows(rows: 5000, seed: 1))
    try store.sync()
    try store.seal()
    let info = try #require(try StoreReader(directory: dir).info().first)
    let seen = events.withLock { $0 }
    #expect(seen.count == 2, "\(seen)")
    if case .walSynced(let ns)? = seen.first { #expect(ns > 0) } else { Issue.record("\(seen)") }
    guard case .sealed(let segments, let rows, let bytes, let ns)? = seen.last else {
      Issue.record("no seal reported: \(seen)")
      return
    }
    #expect(segments == info.segments && rows == info.sealedRows && bytes == info.bytesOnDisk)
    #expect(segments > 1 && rows == 5000 && ns > 0)
    // Every segment is a day old or more against a clock one year ahead: all dropped.
    try store.setRetention(table: "flows", milliseconds: 86_400_000)
    #expect(try store.enforceRetention(now: 1_795_737_600_000 + 366 * 86_400_000) == segments)
    guard case .retentionDropped(let dropped)? = events.withLock({ $0.last }) else {
      Issue.record("no retention reported")
      return
    }
    #expect(dropped == segments)
    try store.close()
  }
}
