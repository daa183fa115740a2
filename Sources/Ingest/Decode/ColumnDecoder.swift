import Storage

extension FlowDecoder {
  /// Decodes a data set of a template with a ``ColumnPlan`` column by column: each column is
  /// filled for all records of the set in one loop, and columns the template does not carry
  /// get their NULLs in bulk. Appends exactly the rows ``decodeRecords`` would; returns how
  /// many. The caller counts records and unknown fields.
  mutating func decodeColumns(
    _ plan: ColumnPlan, _ base: UnsafeRawPointer, _ start: Int, _ end: Int, ctx: MessageContext,
    key: TemplateKey, into b: inout FlowBatchBuilder
  ) -> Int {
    let stride = plan.recordLength
    let n = (end - start) / stride
    guard n > 0 else { return 0 }
    let p = base + start
    let state = domains[key.domainKey]
    // No sampling or application fields: both are the same for the whole set (see emit).
    let sampling = UInt32(
      clamping: max(state?.defaultSampling ?? ctx.headerSampling ?? 1, 1))
    appendTimes(plan, p, n, ctx: ctx, systemInit: state?.systemInitMillis, into: &b)
    b.exporter.append(contentsOf: repeatElement(key.exporter, count: n))
    b.domain.append(contentsOf: repeatElement(key.domain, count: n))
    b.sampling.append(contentsOf: repeatElement(sampling, count: n))
    Self.load(&b.srcAddr, plan.src, p, n, stride)
    Self.load(&b.dstAddr, plan.dst, p, n, stride)
    Self.load(&b.srcPort, plan.srcPort, p, n, stride)
    Self.load(&b.dstPort, plan.dstPort, p, n, stride)
    Self.load(&b.proto, plan.proto, p, n, stride)
    Self.load(&b.tcpFlags, plan.tcpFlags, p, n, stride)
    Self.load(&b.tos, plan.tos, p, n, stride)
    Self.load(&b.bytes, plan.bytes, p, n, stride)
    Self.load(&b.packets, plan.packets, p, n, stride)
    Self.load(&b.revBytes, plan.revBytes, p, n, stride)
    Self.load(&b.revPackets, plan.revPackets, p, n, stride)
    Self.load(&b.inIf, plan.inIf, p, n, stride)
    Self.load(&b.outIf, plan.outIf, p, n, stride)
    Self.load(&b.vlan, plan.vlan, p, n, stride, mask: 0xFFF)
    Self.load(&b.srcAS, plan.srcAS, p, n, stride)
    Self.load(&b.dstAS, plan.dstAS, p, n, stride)
    Self.load(&b.nextHop, plan.nextHop, p, n, stride)
    Self.load(&b.endReason, plan.endReason, p, n, stride)
    b.app.appendNulls(n)
    b.httpHost.appendNulls(n)
    b.httpURL.appendNulls(n)
    Self.load(&b.httpStatus, plan.httpStatus, p, n, stride)
    b.tlsSNI.appendNulls(n)
    b.dnsQuery.appendNulls(n)
    return n
  }

  /// Appends the start and end times of `n` records (rules of ``resolveTimes(_:ctx:systemInit:unanchored:)``).
  @inline(__always)
  private mutating func appendTimes(
    _ plan: ColumnPlan, _ p: UnsafeRawPointer, _ n: Int, ctx: MessageContext,
    systemInit: Int64?, into b: inout FlowBatchBuilder
  ) {
    let stride = plan.recordLength
    if let s = plan.startAbs, let e = plan.endAbs {
      // Both absolute: nothing else is consulted.
      b.time.appendValues(n) { ColumnLoad.times($0, n, p, stride, s) }
      b.endTime.appendValues(n) { ColumnLoad.times($0, n, p, stride, e) }
      return
    }
    var unanchored = 0
    var ends = [Int64](repeating: 0, count: n)
    b.time.appendValues(n) { starts in
      for i in 0..<n {
        let o = i &* stride
        let r = RecordTimes(
          startAbs: plan.startAbs.map { ColumnLoad.millis($0, p, o) },
          endAbs: plan.endAbs.map { ColumnLoad.millis($0, p, o) },
          startUptime: ColumnLoad.uint32(plan.startUptime, p, o),
          endUptime: ColumnLoad.uint32(plan.endUptime, p, o),
          startDeltaMicros: ColumnLoad.uint32(plan.startDeltaMicros, p, o),
          endDeltaMicros: ColumnLoad.uint32(plan.endDeltaMicros, p, o),
          observationMillis: ColumnLoad.value(plan.observationMillis, p, o).map {
            Int64(truncatingIfNeeded: $0)
          })
        (starts[i], ends[i]) = Self.resolveTimes(
          r, ctx: ctx, systemInit: systemInit, unanchored: &unanchored)
      }
    }
    b.endTime += ends
    unanchoredUptimeRecords += unanchored
  }

  /// Fills an integer column from `field` (masked with `mask`), or with NULLs when absent.
  @inline(__always)
  private static func load<T: FixedWidthInteger>(
    _ c: inout NullableColumn<T>, _ field: FieldSource?, _ p: UnsafeRawPointer, _ n: Int,
    _ stride: Int, mask: T = ~0
  ) {
    guard let field else { return c.appendNulls(n) }
    c.appendValues(n) { dst in
      ColumnLoad.integers(dst, n, p + field.offset, stride, field.length)
      if mask != ~0 { for i in 0..<n { dst[i] &= mask } }
    }
  }

  /// Fills an address column from `source`, or with NULLs when the template has no address.
  @inline(__always)
  private static func load(
    _ c: inout NullableColumn<IPAddress>, _ source: AddressSource, _ p: UnsafeRawPointer,
    _ n: Int, _ stride: Int
  ) {
    guard !source.isEmpty else { return c.appendNulls(n) }
    c.appendValues(n) { dst in ColumnLoad.addresses(dst, n, p, stride, source) }
  }
}
