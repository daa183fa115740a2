// The collector's worker alone: decode + store (WAL, seal) of a frames file
// ([u32 LE length][datagram]...), with no socket. Prints the process CPU seconds (every
// thread: the appending one and the sealing ones), which is the collector's CPU minus its
// receive path. usage: ingest-bench FILE [PASSES]
import Foundation
import Ingest
import RefData
import Storage

#if canImport(Glibc)
  import Glibc
#endif

@main struct IngestBench {
  static func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
      + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
  }

  static func main() throws {
    let (file, passes) = DatagramFrames.commandLine(tool: "ingest-bench")
    let bytes = file.bytes
    let frames = file.ranges
    let exporter = IPAddress(v4: 0x7F00_0001)
    for pass in 0..<passes {
      let dir = NSTemporaryDirectory() + "ingest-bench-\(getpid())-\(pass)"
      // As `flowstore serve` runs it: the WAL written with direct I/O.
      var options = StoreOptions()
      options.walDirectIO = true
      let store = try FlowStore(directory: dir, options: options)
      var ingester = FlowIngester(store: store, persistTemplates: false)
      let c0 = cpuSeconds()
      bytes.withUnsafeBytes { raw in
        for r in frames {
          ingester.ingest(
            UnsafeRawBufferPointer(rebasing: raw[r]), exporter: exporter, receivedAt: 0)
        }
      }
      ingester.flush()
      let c1 = cpuSeconds()
      try store.close()
      let c2 = cpuSeconds()
      print(
        String(
          format: "pass %d: %d rows, cpu %.3f s to append (%.3f s with the last seal)", pass,
          ingester.rowsStored, c1 - c0, c2 - c0))
      try? FileManager.default.removeItem(atPath: dir)
    }
  }
}
