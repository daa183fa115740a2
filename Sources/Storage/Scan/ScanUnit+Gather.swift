extension ScanUnit {
  /// Reads the columns at `columns` (schema positions) for the rows at `rows` only, in that
  /// order: a late read of a few rows of a block, such as the winners of a top-N. String columns
  /// are built from their dictionary codes and IPv4 blocks from their 32-bit values, so only
  /// the rows asked for become strings or addresses.
  ///
  /// - Throws: ``StorageError`` when the data cannot be read or fails its checksum.
  public func read(columns: [Int], rows: [Int]) throws(StorageError) -> [ColumnVector] {
    var out: [ColumnVector] = []
    out.reserveCapacity(columns.count)
    for c in columns {
      if let s = try readStrings(column: c) {
        out.append(Self.gather(s, rows))
        continue
      }
      switch try readAddresses(column: c) {
      case .v4(let a, let validity):
        out.append(
          ColumnVector(
            .ip(rows.map { IPAddress(v4: a[$0]) }), validity: validity.map { Self.bits($0, rows) }))
      case .decoded(let v):
        out.append(v.gather(rows))
      }
    }
    return out
  }

  private static func gather(_ s: StringCodes, _ rows: [Int]) -> ColumnVector {
    // NULL rows hold "", as in a decoded column.
    let values = ColumnValues.string(
      rows.map { (s.validity?[$0] ?? true) ? s.entries[Int(s.codes[$0])] : "" })
    return ColumnVector(values, validity: s.validity.map { bits($0, rows) })
  }

  private static func bits(_ validity: Bitmap, _ rows: [Int]) -> Bitmap {
    var b = Bitmap(count: rows.count, value: false)
    for (i, r) in rows.enumerated() where validity[r] { b[i] = true }
    return b
  }
}
