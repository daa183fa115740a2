import Storage

/// A random `flows` batch: skewed values, NULLs, IPv4 and IPv6, strings; `start` ms onwards.
public func randomFlows(
  rows: Int, seed: UInt64, start: Int64 = 1_795_737_600_000, span: Int64 = 86_400_000,
  nullRate: Double = 0.1
) -> ColumnBatch {
  var rng = SplitMix(seed: seed)
  func validity() -> Bitmap? {
    guard nullRate > 0 else { return nil }
    var b = Bitmap(count: rows, value: true)
    for i in 0..<rows where Double.random(in: 0..<1, using: &rng) < nullRate { b[i] = false }
    return b
  }
  let times = (0..<rows).map { _ in start + Int64.random(in: 0..<span, using: &rng) }
  let ends = times.map { $0 + Int64.random(in: 0..<5000, using: &rng) }
  let src = (0..<rows).map { _ -> IPAddress in
    Int.random(in: 0..<10, using: &rng) == 0
      ? IPAddress(high: 0x2001_0db8_0000_0000, low: UInt64.random(in: 0..<1000, using: &rng))
      : IPAddress(v4: 0x0A00_0000 + UInt32.random(in: 0..<300, using: &rng))
  }
  let dst = (0..<rows).map { _ in
    IPAddress(v4: 0xC0A8_0000 + UInt32.random(in: 0..<50, using: &rng))
  }
  let ports: [UInt16] = [22, 53, 80, 443, 8080]
  let apps = ["http", "dns", "tls", "ssh", "", "ünïcode"]
  let columns: [String: ColumnVector] = [
    "time": ColumnVector(.timestamp(times)),
    "end_time": ColumnVector(.timestamp(ends)),
    "exporter": ColumnVector(.ip([IPAddress](repeating: IPAddress(v4: 0x7F00_0001), count: rows))),
    "src_addr": ColumnVector(.ip(src)),
    "dst_addr": ColumnVector(.ip(dst), validity: validity()),
    "src_port": ColumnVector(
      .uint16((0..<rows).map { _ in UInt16.random(in: 1024...65535, using: &rng) })),
    "dst_port": ColumnVector(
      .uint16((0..<rows).map { _ in ports.randomElement(using: &rng)! }), validity: validity()),
    "proto": ColumnVector(.uint8((0..<rows).map { _ in [6, 17, 1].randomElement(using: &rng)! })),
    "bytes": ColumnVector(
      .uint64(
        (0..<rows).map { _ in
          UInt64.random(in: 40...(1 << UInt64.random(in: 7...40, using: &rng)), using: &rng)
        })),
    "packets": ColumnVector(
      .uint64((0..<rows).map { _ in UInt64.random(in: 1...100, using: &rng) })),
    "rev_bytes": ColumnVector(
      .uint64((0..<rows).map { _ in UInt64.random(in: 0...1_000_000, using: &rng) }),
      validity: validity()),
    "in_if": ColumnVector(
      .uint32((0..<rows).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) })),
    "app": ColumnVector(
      .string((0..<rows).map { _ in apps.randomElement(using: &rng)! }), validity: validity()),
  ]
  return try! ColumnBatch(schema: FlowSchema.flows, rowCount: rows, columns: columns)
}
