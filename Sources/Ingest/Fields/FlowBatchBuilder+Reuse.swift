import Storage

extension FlowBatchBuilder {
  /// Removes all rows like ``reset()``, but takes the arrays of `spare` (a batch of the `flows`
  /// table that nothing else holds, e.g. ``FlowStore/takeSpareBatch()``) for the next rows
  /// instead of allocating new ones. After ``build()`` the builder's own arrays are shared with
  /// the batch it returned, so clearing them would allocate; reusing a sealed batch's arrays
  /// refills memory already mapped.
  public mutating func reset(reusing spare: consuming ColumnBatch?) {
    // `consume`: a binding copied out of `spare` would leave `spare` holding every array until
    // the end of this call, and each would then be copied, not reused, when cleared.
    if var columns = (consume spare)?.columns {
      let schema = FlowSchema.flows
      func take<T>(_ name: String, _ type: T.Type) -> [T]? {
        guard let i = schema.index(of: name), i < columns.count, var v = columns[i] else {
          return nil
        }
        columns[i] = nil
        return v.values.take(T.self)
      }
      func adopt<T>(_ name: String, _ column: inout NullableColumn<T>) {
        if let a = take(name, T.self) { column.values = a }
      }
      if let t = schema.timeIndex, let a = take(schema.columns[t].name, Int64.self) { time = a }
      if let e = schema.index(of: .endTime), let a = take(schema.columns[e].name, Int64.self) {
        endTime = a
      }
      if let a = take("exporter", IPAddress.self) { exporter = a }
      if let a = take("domain", UInt32.self) { domain = a }
      if let a = take("sampling", UInt32.self) { sampling = a }
      adopt("src_addr", &srcAddr)
      adopt("dst_addr", &dstAddr)
      adopt("next_hop", &nextHop)
      u8.adopt { take($0, UInt8.self) }
      u16.adopt { take($0, UInt16.self) }
      u32.adopt { take($0, UInt32.self) }
      u64.adopt { take($0, UInt64.self) }
    }
    reset()
  }
}
