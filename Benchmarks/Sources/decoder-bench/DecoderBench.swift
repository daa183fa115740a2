// Decoder-alone throughput on a frames file ([u32 LE length][datagram]...), one core.
// usage: decoder-bench FILE [PASSES] [unstaged]
import Ingest
import RefData
import Storage

#if canImport(Glibc)
  import Glibc
#endif

@main struct DecoderBench {
  static func main() {
    let (file, passes) = DatagramFrames.commandLine(tool: "decoder-bench")
    let bytes = file.bytes
    let frames = file.ranges
    let exporter = IPAddress(v4: 0x7F00_0001)
    var best = Double.infinity
    var records = 0
    for _ in 0..<passes {
      var decoder = FlowDecoder()
      // As the collector decodes (FlowIngester stages records).
      decoder.stagesRecords =
        CommandLine.arguments.count < 4 || CommandLine.arguments[3] != "unstaged"
      var builder = FlowBatchBuilder(capacity: 65536)
      records = 0
      var t0 = timespec()
      clock_gettime(CLOCK_MONOTONIC, &t0)
      bytes.withUnsafeBytes { raw in
        for r in frames {
          let o = decoder.decode(
            UnsafeRawBufferPointer(rebasing: raw[r]), exporter: exporter, receivedAt: 0,
            into: &builder)
          records += o.records
          if builder.count + decoder.stagedRecords >= 60_000 {
            decoder.finishStaged(into: &builder)
            _ = builder.build()
            builder.reset()
          }
        }
      }
      decoder.finishStaged(into: &builder)
      var t1 = timespec()
      clock_gettime(CLOCK_MONOTONIC, &t1)
      let s = Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) / 1e9
      best = min(best, s)
    }
    print(
      "datagrams \(frames.count) records \(records) best \(best) s -> \(Int(Double(records) / best)) records/s"
    )
  }
}
