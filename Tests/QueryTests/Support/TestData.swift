import Storage
import TestSupport

@testable import Query

enum TestData {
  /// 2026-11-28T00:00:00Z.
  static let day: Int64 = 1_795_824_000_000

  /// `n` random flows over two days starting at `day - 1d`, with NULLs in the nullable columns.
  static func flows(_ n: Int, seed: UInt64 = 42) -> ColumnBatch {
    var rng = SplitMix(seed: seed)
    var time: [Int64] = []
    var src: [IPAddress] = []
    var dst: [IPAddress] = []
    var sport: [UInt16] = []
    var dport: [UInt16] = []
    var proto: [UInt8] = []
    var bytes: [UInt64] = []
    var packets: [UInt64] = []
    var revBytes: [UInt64] = []
    var revValid = Bitmap(count: 0, value: false)
    var app: [String] = []
    var appValid = Bitmap(count: 0, value: false)
    var status: [UInt16] = []
    var statusValid = Bitmap(count: 0, value: false)
    let apps = ["http", "dns", "tls", "ssh", "HTTP", "quic"]
    let ports: [UInt16] = [443, 80, 53, 22, 8080, 123, 3389]
    var t = day - 86_400_000
    for _ in 0..<n {
      t += Int64.random(in: 0...(2 * 172_800_000 / Int64(max(n, 1))), using: &rng)
      time.append(t)
      let s: IPAddress =
        Int.random(in: 0..<10, using: &rng) == 0
        ? IPAddress(high: 0x2001_0db8_0000_0000, low: UInt64.random(in: 0..<20, using: &rng))
        : IPAddress(
          v4: [0x0A00_0000, 0xC0A8_0100, 0xC633_6400, 0x0808_0800][
            Int.random(in: 0..<4, using: &rng)]
            + UInt32.random(in: 0..<40, using: &rng))
      src.append(s)
      dst.append(IPAddress(v4: 0x0A00_0000 + UInt32.random(in: 0..<30, using: &rng)))
      sport.append(UInt16.random(in: 1024...65535, using: &rng))
      dport.append(ports[Int.random(in: 0..<ports.count, using: &rng)])
      proto.append([6, 17, 1][Int.random(in: 0..<3, using: &rng)])
      let p = UInt64.random(in: 1...100, using: &rng)
      packets.append(p)
      bytes.append(p * UInt64.random(in: 40...1500, using: &rng))
      let rv = Int.random(in: 0..<3, using: &rng) != 0
      revValid.append(rv)
      revBytes.append(rv ? UInt64.random(in: 0...10000, using: &rng) : 0)
      let av = Int.random(in: 0..<5, using: &rng) != 0
      appValid.append(av)
      app.append(av ? apps[Int.random(in: 0..<apps.count, using: &rng)] : "")
      let sv = Int.random(in: 0..<4, using: &rng) == 0
      statusValid.append(sv)
      status.append(sv ? [200, 404, 500][Int.random(in: 0..<3, using: &rng)] : 0)
    }
    return try! ColumnBatch(
      schema: FlowSchema.flows, rowCount: n,
      columns: [
        "time": ColumnVector(.timestamp(time)),
        "end_time": ColumnVector(.timestamp(time.map { $0 + 1500 })),
        "src_addr": ColumnVector(.ip(src)),
        "dst_addr": ColumnVector(.ip(dst)),
        "src_port": ColumnVector(.uint16(sport)),
        "dst_port": ColumnVector(.uint16(dport)),
        "proto": ColumnVector(.uint8(proto)),
        "bytes": ColumnVector(.uint64(bytes)),
        "packets": ColumnVector(.uint64(packets)),
        "rev_bytes": ColumnVector(.uint64(revBytes), validity: revValid),
        "app": ColumnVector(.string(app), validity: appValid),
        "http_status": ColumnVector(.uint16(status), validity: statusValid),
      ])
  }

  static func provider(_ n: Int, seed: UInt64 = 42, unitRows: Int = 1000) -> MemoryTableProvider {
    MemoryTableProvider(batch: flows(n, seed: seed), unitRows: unitRows)
  }
}
