import Foundation
import Query
import Storage
import Testing

/// Engine throughput on the reference dataset. Runs only when FLOWSTORE_BENCH names the frames
/// file written by `python3 ../shared/bench/gen_ipfix.py 3000000 /tmp/ref.dgrams`:
///
///     FLOWSTORE_BENCH=/tmp/ref.dgrams swift test -c release -Xswiftc -enable-testing \
///       --filter QueryBenchmark
@Suite struct QueryBenchmark {
  /// Decodes `[u32 LE len][IPFIX message]` frames holding the generator's 13-field template.
  static func load(_ path: String) throws -> ColumnBatch {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    var time: [Int64] = []
    var end: [Int64] = []
    var src: [IPAddress] = []
    var dst: [IPAddress] = []
    var bytes: [UInt64] = []
    var packets: [UInt64] = []
    var sport: [UInt16] = []
    var dport: [UInt16] = []
    var proto: [UInt8] = []
    var flags: [UInt8] = []
    var tos: [UInt8] = []
    var inIf: [UInt32] = []
    var outIf: [UInt32] = []
    func be(_ o: Int, _ n: Int) -> UInt64 {
      var v: UInt64 = 0
      for k in 0..<n { v = v << 8 | UInt64(data[o + k]) }
      return v
    }
    var p = 0
    while p + 4 <= data.count {
      let len =
        Int(data[p]) | Int(data[p + 1]) << 8 | Int(data[p + 2]) << 16 | Int(data[p + 3]) << 24
      let msg = p + 4
      var s = msg + 16
      while s + 4 <= msg + len {
        let id = be(s, 2)
        let slen = Int(be(s + 2, 2))
        if id == 256 {
          var r = s + 4
          while r + 55 <= s + slen {
            src.append(IPAddress(v4: UInt32(be(r, 4))))
            dst.append(IPAddress(v4: UInt32(be(r + 4, 4))))
            time.append(Int64(be(r + 8, 8)))
            end.append(Int64(be(r + 16, 8)))
            bytes.append(be(r + 24, 8))
            packets.append(be(r + 32, 8))
            sport.append(UInt16(be(r + 40, 2)))
            dport.append(UInt16(be(r + 42, 2)))
            proto.append(data[r + 44])
            flags.append(data[r + 45])
            tos.append(data[r + 46])
            inIf.append(UInt32(be(r + 47, 4)))
            outIf.append(UInt32(be(r + 51, 4)))
            r += 55
          }
        }
        s += max(4, slen)
      }
      p = msg + len
    }
    return try ColumnBatch(
      schema: FlowSchema.flows, rowCount: time.count,
      columns: [
        "time": ColumnVector(.timestamp(time)), "end_time": ColumnVector(.timestamp(end)),
        "src_addr": ColumnVector(.ip(src)), "dst_addr": ColumnVector(.ip(dst)),
        "bytes": ColumnVector(.uint64(bytes)), "packets": ColumnVector(.uint64(packets)),
        "src_port": ColumnVector(.uint16(sport)), "dst_port": ColumnVector(.uint16(dport)),
        "proto": ColumnVector(.uint8(proto)), "tcp_flags": ColumnVector(.uint8(flags)),
        "tos": ColumnVector(.uint8(tos)), "in_if": ColumnVector(.uint32(inIf)),
        "out_if": ColumnVector(.uint32(outIf)),
      ])
  }

  @Test func throughput() throws {
    guard let path = ProcessInfo.processInfo.environment["FLOWSTORE_BENCH"] else { return }
    let batch = try Self.load(path)
    let provider = MemoryTableProvider(batch: batch, unitRows: 16384)
    let queries = [
      "SELECT dst_port, sum(bytes) AS b FROM flows GROUP BY dst_port ORDER BY b DESC LIMIT 10",
      "SELECT src_addr, sum(bytes) AS b FROM flows GROUP BY src_addr ORDER BY b DESC LIMIT 10",
      "SELECT sum(bytes) FROM flows",
      "SELECT src_addr, count(*) FROM flows GROUP BY src_addr LIMIT 1",
      "SELECT count(*) FROM flows WHERE time >= '2026-11-27T10:00:00Z' AND time < '2026-11-27T11:00:00Z'",
    ]
    print("rows: \(batch.rowCount)")
    // For profiling: FLOWSTORE_BENCH_ONLY=text keeps the queries containing it,
    // FLOWSTORE_BENCH_RUNS=n times each n times (default 7), FLOWSTORE_BENCH_THREADS=1 one setting.
    let env = ProcessInfo.processInfo.environment
    let only = env["FLOWSTORE_BENCH_ONLY"]
    let runs = env["FLOWSTORE_BENCH_RUNS"].flatMap { Int($0) } ?? 7
    let settings = env["FLOWSTORE_BENCH_THREADS"].flatMap { Int($0) }.map { [$0] } ?? [1, 2]
    for sql in queries where only.map({ sql.contains($0) }) ?? true {
      for threads in settings {
        let engine = QueryEngine(
          provider: provider, options: ExecutionOptions(parallelism: threads))
        var best = Double.infinity
        var result: QueryResult?
        for _ in 0..<runs {
          let t = DispatchTime.now().uptimeNanoseconds
          result = try engine.execute(sql)
          best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        }
        let rate = Double(batch.rowCount) / best / 1e6
        print(
          "BENCH threads=\(threads) best=\(String(format: "%.2f", best * 1000)) ms  \(String(format: "%.0f", rate))M rows/s  \(sql)"
        )
        if threads == 1 { print("  first rows: \(result!.rows.prefix(3))") }
      }
    }
  }
}
