import Foundation
import Storage
import TestSupport
import Testing

@testable import Ingest

/// A builder refilled from the store's spare batch writes into the memory it wrote before,
/// instead of copying the arrays (and faulting in fresh pages) when it clears them. (The
/// synthetic exporter's records are not in time order, so its batches are held until the seal,
/// which then hands them back.)
@Suite struct BatchReuseTests {
  @Test func spareBatchArraysAreRefilledInPlace() throws {
    let dir = temporaryDirectoryURL("batch-reuse")
    defer { try? FileManager.default.removeItem(at: dir) }
    var options = StoreOptions()
    options.backgroundTimer = false
    let store = try FlowStore(directory: dir.path, options: options)
    var exporter = SyntheticExporter(seed: 5)
    var decoder = FlowDecoder()
    var builder = FlowBatchBuilder(capacity: 40_000)
    func fill() {
      while builder.count < 33_000 {
        let dgram = exporter.nextDatagram(records: 40)
        dgram.withUnsafeBytes {
          _ = decoder.decode(
            $0, exporter: IPAddress(v4: 0x7F00_0001), receivedAt: 0, into: &builder)
        }
      }
    }
    func address<T>(_ a: [T]) -> UnsafeRawPointer? { a.withUnsafeBytes { $0.baseAddress } }
    for _ in 0..<3 {
      fill()
      let time = address(builder.time)
      let src = address(builder.srcAddr.values)
      try store.append(builder.build())
      try store.seal()
      // Straight from the store: a copy held here would keep the arrays shared.
      builder.reset(reusing: store.takeSpareBatch())
      fill()
      #expect(address(builder.time) == time)
      #expect(address(builder.srcAddr.values) == src)
      builder.reset()
    }
    try store.close()
  }
}
