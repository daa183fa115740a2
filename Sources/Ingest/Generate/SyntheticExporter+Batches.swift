import Storage

extension SyntheticExporter {
  /// The next `records` flows as a batch of the `flows` table: the rows that decoding the same
  /// flows' datagrams (``nextDatagram(records:)``) from `exporter` stores, in the order the
  /// flows were generated (so in time order), without the datagrams.
  ///
  /// `spare`, a batch of the `flows` table that nothing else holds (e.g.
  /// ``Storage/FlowStore/takeSpareBatch()``), lends its arrays for the new rows, so that a
  /// loop of appends refills the same memory.
  public mutating func nextBatch(
    records: Int, exporter: IPAddress, reusing spare: consuming ColumnBatch? = nil
  ) -> ColumnBatch {
    var c = SyntheticColumns(reusing: spare)
    c.reserve(records)
    for _ in 0..<max(0, records) { c.append(nextFlow()) }
    recordsGenerated += max(0, records)
    return c.batch(exporter: exporter, domain: domain)
  }
}

/// The columns of synthetic flows for one ``ColumnBatch`` of ``Storage/FlowSchema/flows``: those
/// the synthetic templates fill; every other column is NULL.
private struct SyntheticColumns {
  var time: [Int64] = []
  var endTime: [Int64] = []
  var sourceAddress: [IPAddress] = []
  var destinationAddress: [IPAddress] = []
  var sourcePort: [UInt16] = []
  var destinationPort: [UInt16] = []
  var proto: [UInt8] = []
  var tcpFlags: [UInt8] = []
  var bytes: [UInt64] = []
  var packets: [UInt64] = []
  var inputInterface: [UInt32] = []
  var outputInterface: [UInt32] = []
  var app: [String] = []
  var host: [String] = []
  /// Which rows carry `app` and `host` (the IPv4 flows).
  var l7: [UInt64] = []
  var exporter: [IPAddress] = []
  var domain: [UInt32] = []
  var sampling: [UInt32] = []

  /// Empty columns, in the arrays of `spare` where it has them.
  init(reusing spare: consuming ColumnBatch?) {
    guard var columns = (consume spare)?.columns else { return }
    let schema = FlowSchema.flows
    func take<T>(_ name: String, _ into: inout [T]) {
      guard let i = schema.index(of: name), i < columns.count, var v = columns[i],
        var a = v.values.take(T.self)
      else { return }
      columns[i] = nil
      a.removeAll(keepingCapacity: true)
      into = a
    }
    take("time", &time)
    take("end_time", &endTime)
    take("src_addr", &sourceAddress)
    take("dst_addr", &destinationAddress)
    take("src_port", &sourcePort)
    take("dst_port", &destinationPort)
    take("proto", &proto)
    take("tcp_flags", &tcpFlags)
    take("bytes", &bytes)
    take("packets", &packets)
    take("in_if", &inputInterface)
    take("out_if", &outputInterface)
    take("app", &app)
    take("http_host", &host)
    take("exporter", &exporter)
    take("domain", &domain)
    take("sampling", &sampling)
  }

  mutating func reserve(_ n: Int) {
    time.reserveCapacity(n)
    endTime.reserveCapacity(n)
    sourceAddress.reserveCapacity(n)
    destinationAddress.reserveCapacity(n)
    sourcePort.reserveCapacity(n)
    destinationPort.reserveCapacity(n)
    proto.reserveCapacity(n)
    tcpFlags.reserveCapacity(n)
    bytes.reserveCapacity(n)
    packets.reserveCapacity(n)
    inputInterface.reserveCapacity(n)
    outputInterface.reserveCapacity(n)
    app.reserveCapacity(n)
    host.reserveCapacity(n)
    l7.reserveCapacity((n + 63) / 64)
  }

  @inline(__always)
  mutating func append(_ f: SyntheticFlow) {
    let row = time.count
    time.append(f.start)
    endTime.append(f.end)
    if f.v6 {
      sourceAddress.append(IPAddress(high: SyntheticFlow.v6SourceHigh, low: f.source))
      destinationAddress.append(
        IPAddress(high: SyntheticFlow.v6DestinationHigh, low: f.destination))
    } else {
      sourceAddress.append(IPAddress(v4: UInt32(f.source)))
      destinationAddress.append(IPAddress(v4: UInt32(f.destination)))
    }
    sourcePort.append(f.sourcePort)
    destinationPort.append(f.destinationPort)
    proto.append(f.proto)
    tcpFlags.append(f.tcpFlags)
    bytes.append(f.bytes)
    packets.append(f.packets)
    inputInterface.append(f.inputInterface)
    outputInterface.append(f.outputInterface)
    if row & 63 == 0 { l7.append(0) }
    if f.v6 {
      app.append("")
      host.append("")
    } else {
      app.append(SyntheticFlow.apps[f.app])
      host.append(SyntheticFlow.hosts[f.host])
      l7[row >> 6] |= 1 << UInt64(row & 63)
    }
  }

  /// The rows as a batch, every one from `exporter` in observation domain `domain`.
  consuming func batch(exporter e: IPAddress, domain d: UInt32) -> ColumnBatch {
    let n = time.count
    exporter.removeAll(keepingCapacity: true)
    exporter.append(contentsOf: repeatElement(e, count: n))
    domain.removeAll(keepingCapacity: true)
    domain.append(contentsOf: repeatElement(d, count: n))
    sampling.removeAll(keepingCapacity: true)
    sampling.append(contentsOf: repeatElement(1, count: n))
    let present = Bitmap(words: l7, count: n)
    let l7Validity: Bitmap? = present.setCount == n ? nil : present
    let columns: [String: ColumnVector] = [
      "time": ColumnVector(.timestamp(time)),
      "end_time": ColumnVector(.timestamp(endTime)),
      "exporter": ColumnVector(.ip(exporter)),
      "domain": ColumnVector(.uint32(domain)),
      "sampling": ColumnVector(.uint32(sampling)),
      "src_addr": ColumnVector(.ip(sourceAddress)),
      "dst_addr": ColumnVector(.ip(destinationAddress)),
      "src_port": ColumnVector(.uint16(sourcePort)),
      "dst_port": ColumnVector(.uint16(destinationPort)),
      "proto": ColumnVector(.uint8(proto)),
      "tcp_flags": ColumnVector(.uint8(tcpFlags)),
      "bytes": ColumnVector(.uint64(bytes)),
      "packets": ColumnVector(.uint64(packets)),
      "in_if": ColumnVector(.uint32(inputInterface)),
      "out_if": ColumnVector(.uint32(outputInterface)),
      "app": ColumnVector(.string(app), validity: l7Validity),
      "http_host": ColumnVector(.string(host), validity: l7Validity),
    ]
    do {
      return try ColumnBatch(schema: FlowSchema.flows, rowCount: n, columns: columns)
    } catch {
      preconditionFailure("synthetic batch does not match the flows schema: \(error)")
    }
  }
}
