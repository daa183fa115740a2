// flowstore-crashwriter: appends numbered rows to a store until killed, printing one line per
// acknowledged batch ("ack FIRST COUNT"), for the kill -9 durability test in StorageTests.
// Row ids are carried in the `bytes` column; the store seals often so kills land everywhere.
// Times rise with the ids, so batches of a block or more (700 rows) are logged as encoded blocks
// and smaller ones as plain batches: kills land in both kinds of WAL entry.
import Foundation
import Storage

let args = CommandLine.arguments
guard args.count == 3, let start = UInt64(args[2]) else {
  FileHandle.standardError.write("usage: flowstore-crashwriter DIR FIRST-ID\n".data(using: .utf8)!)
  exit(2)
}
var options = StoreOptions()
options.sealRows = 3000
options.blockRows = 700
options.syncInterval = 0.005
options.walDirectIO = ProcessInfo.processInfo.environment["FLOWSTORE_CRASH_DIRECT_IO"] == "1"
let store: FlowStore
do {
  store = try FlowStore(directory: args[1], options: options)
} catch {
  FileHandle.standardError.write("crashwriter: \(error)\n".data(using: .utf8)!)
  exit(1)
}
var next = start
var rng = SystemRandomNumberGenerator()
while true {
  let n = Int.random(in: 1...1500, using: &rng)
  let ids = (0..<UInt64(n)).map { next + $0 }
  let t0: Int64 = 1_795_737_600_000
  let batch = try! ColumnBatch(
    schema: FlowSchema.flows, rowCount: n,
    columns: [
      "time": ColumnVector(.timestamp(ids.map { t0 + Int64($0 % 7_200_000) * 37 })),
      "bytes": ColumnVector(.uint64(ids)),
      "src_addr": ColumnVector(.ip(ids.map { IPAddress(v4: UInt32(truncatingIfNeeded: $0)) })),
      "app": ColumnVector(.string(ids.map { "app\($0 % 13)" })),
    ])
  do {
    try store.append(batch)
  } catch {
    FileHandle.standardError.write("crashwriter: \(error)\n".data(using: .utf8)!)
    exit(1)
  }
  FileHandle.standardOutput.write("ack \(next) \(n)\n".data(using: .utf8)!)
  next += UInt64(n)
}
