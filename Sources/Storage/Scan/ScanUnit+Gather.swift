extension ScanUnit {
  /// Reads the columns at `columns` (schema positions) for the rows at `rows` (ascending) only,
  /// in that order: a late read of a few rows of a block, such as the winners of a top-N or the
  /// rows a selective filter kept. Only those rows become values; a segment reads bit-packed
  /// values at their positions without unpacking the others.
  ///
  /// - Throws: ``StorageError`` when the data cannot be read or fails its checksum.
  public func read(columns: [Int], rows: [Int]) throws(StorageError) -> [ColumnVector] {
    try source.read(block: block, columns: columns, rows: rows)
  }
}

extension BlockSource {
  /// Reads the whole columns and keeps the rows at `rows`; string columns are built from their
  /// dictionary codes and IPv4 blocks from their 32-bit values, so only those rows become
  /// strings or addresses.
  public func read(block: Int, columns: [Int], rows: [Int]) throws(StorageError)
    -> [ColumnVector]
  {
    var out: [ColumnVector] = []
    out.reserveCapacity(columns.count)
    for c in columns {
      if let s = try readStrings(block: block, column: c) {
        out.append(gatherStrings(s, rows))
        continue
      }
      switch try readAddresses(block: block, column: c) {
      case .v4(let a, let validity):
        out.append(
          ColumnVector(
            .ip(rows.map { IPAddress(v4: a[$0]) }), validity: validity?.picking(rows)))
      case .decoded(let v):
        out.append(v.gather(rows))
      }
    }
    return out
  }

  private func gatherStrings(_ s: StringCodes, _ rows: [Int]) -> ColumnVector {
    // NULL rows hold "", as in a decoded column.
    let values = ColumnValues.string(
      rows.map { (s.validity?[$0] ?? true) ? s.entries[Int(s.codes[$0])] : "" })
    return ColumnVector(values, validity: s.validity?.picking(rows))
  }

}
