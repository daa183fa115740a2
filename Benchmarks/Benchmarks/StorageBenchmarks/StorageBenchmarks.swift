import Benchmark
import Foundation
import RefData
import Storage

// Storage benchmarks on a slice of the reference dataset, with thresholds checked in under
// Thresholds/. Run: cd Benchmarks && swift package benchmark
nonisolated(unsafe) let benchmarks: @Sendable () -> Void = {
  let batches = (try? ReferenceDataset.load(path: ReferenceDataset.path(records: 300_000))) ?? []
  let rows = batches.reduce(0) { $0 + $1.rowCount }

  Benchmark(
    "append+seal 300k rows",
    configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxIterations: 5)
  ) { benchmark in
    let dir = NSTemporaryDirectory() + "fsb-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var o = StoreOptions()
    o.backgroundTimer = false
    benchmark.startMeasurement()
    let store = try FlowStore(directory: dir, options: o)
    for b in batches { try store.append(b) }
    try store.close()
    benchmark.stopMeasurement()
    blackHole(rows)
  }

  Benchmark(
    "scan all columns 300k rows",
    configuration: .init(metrics: [.wallClock, .throughput], maxIterations: 10)
  ) { benchmark in
    let dir = NSTemporaryDirectory() + "fsb-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var o = StoreOptions()
    o.backgroundTimer = false
    let store = try FlowStore(directory: dir, options: o)
    for b in batches { try store.append(b) }
    try store.close()
    let snap = try StoreReader(directory: dir).snapshot(table: "flows")
    let all = Array(snap.schema.columns.indices)
    benchmark.startMeasurement()
    for u in snap.units { blackHole(try u.read(columns: all)) }
    benchmark.stopMeasurement()
  }
}
