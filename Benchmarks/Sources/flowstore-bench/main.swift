// flowstore-bench: the storage figures of docs/PERFORMANCE.md on the reference dataset.
// usage: flowstore-bench [records]   (release build: swift run -c release flowstore-bench)
import Dispatch
import Foundation
import RefData
import Storage

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let t = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
}

func decodedBytes(_ v: ColumnVector) -> Int {
  switch v.values {
  case .uint8(let a): a.count
  case .uint16(let a): a.count * 2
  case .uint32(let a): a.count * 4
  case .uint64(let a): a.count * 8
  case .timestamp(let a): a.count * 8
  case .ip(let a): a.count * 16
  case .string(let a): a.reduce(0) { $0 + $1.utf8.count }
  }
}

// usage: flowstore-bench [records] [--keep DIR]  (--keep leaves the filled store at DIR)
var args = Array(CommandLine.arguments.dropFirst())
var keep: String? = nil
if let k = args.firstIndex(of: "--keep"), k + 1 < args.count {
  keep = args[k + 1]
  args.removeSubrange(k...(k + 1))
}
let records = args.first.flatMap { Int($0) } ?? 3_000_000
let path = try ReferenceDataset.path(records: records)
var batches: [ColumnBatch] = []
let loadTime = try seconds { batches = try ReferenceDataset.load(path: path) }
let rows = batches.reduce(0) { $0 + $1.rowCount }
print(
  "reference dataset: \(rows) records from \(path) (loaded in \(String(format: "%.2f", loadTime)) s)"
)

let dir = keep ?? NSTemporaryDirectory() + "flowstore-bench-\(getpid())"
if let keep { try? FileManager.default.removeItem(atPath: keep) }
defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
var options = StoreOptions()
options.backgroundTimer = false
func cpuSeconds() -> Double {
  var u = rusage()
  getrusage(RUSAGE_SELF.rawValue, &u)
  return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(
    u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}
for threads in [1, 2] {
  try? FileManager.default.removeItem(atPath: dir)
  var o = options
  o.sealThreads = threads
  let cpu0 = cpuSeconds()
  let appendTime = try seconds {
    let store = try FlowStore(directory: dir, options: o)
    for b in batches { try store.append(b) }
    try store.close()
  }
  let appendCPU = cpuSeconds() - cpu0
  print(
    String(
      format: "append + seal, %d sealing thread(s): %.2f s wall, %.2f s CPU; %.2fM rows/s",
      threads, appendTime, appendCPU, Double(rows) / appendTime / 1e6))
}

let reader = try StoreReader(directory: dir)
let info = try reader.info()[0]
print(
  String(
    format: "on disk: %d bytes in %d segments, %.2f bytes per flow, compression %.1fx",
    info.bytesOnDisk, info.segments, Double(info.bytesOnDisk) / Double(info.rows),
    Double(info.rawBytes) / Double(info.bytesOnDisk)))

let snap = try reader.snapshot(table: "flows")
print("| column | rows/s | decoded GB/s |")
print("|---|---|---|")
var totalBytes = 0
var totalTime = 0.0
for (i, c) in snap.schema.columns.enumerated() {
  var bytes = 0
  var best = Double.infinity
  for _ in 0..<3 {
    bytes = 0
    let t = try seconds {
      for u in snap.units { bytes += decodedBytes(try u.read(columns: [i])[0]) }
    }
    best = min(best, t)
  }
  if bytes == 0 || info.rows == 0 { continue }
  if try snap.units.allSatisfy({ try $0.read(columns: [i])[0].nullCount == $0.rowCount }) {
    continue
  }
  totalBytes += bytes
  totalTime += best
  print(
    String(
      format: "| %@ | %.0fM | %.2f |", c.name, Double(rows) / best / 1e6, Double(bytes) / best / 1e9
    ))
}
print(
  String(
    format: "all stored columns: %.2f GB/s decoded, %.1fM rows/s",
    Double(totalBytes) / totalTime / 1e9, Double(rows) / totalTime / 1e6))
