extension SegmentReader {
  /// Reads and decodes the given columns (reading-schema positions) of one block.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` naming the file, column and
  ///   block when a chunk fails its checksum or does not decode.
  public func read(block: Int, columns: [Int]) throws(StorageError) -> [ColumnVector] {
    guard block >= 0 && block < footer.blocks.count else {
      throw .corrupt(file: path, column: nil, block: block, reason: "no such block")
    }
    let meta = footer.blocks[block]
    var timeCache: [Int64]? = nil
    var out: [ColumnVector] = []
    out.reserveCapacity(columns.count)
    for c in columns {
      guard let fileColumn = mapping[c] else {
        out.append(.nulls(schema.columns[c].type, count: meta.rows))
        continue
      }
      out.append(
        try decodeChunk(block: block, column: fileColumn, rows: meta.rows) { () -> [Int64]? in
          if timeCache == nil, let t = timeColumn,
            let v = try? decodeChunk(block: block, column: t, rows: meta.rows, reference: { nil }),
            case .timestamp(let a) = v.values
          {
            timeCache = a
          }
          return timeCache
        })
    }
    return out
  }

  /// Reads the given columns of one block at `rows` (ascending) only: bit-packed values are read
  /// at their positions, and only those rows become strings or addresses.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` naming the file, column and
  ///   block when a chunk fails its checksum or does not decode.
  public func read(block: Int, columns: [Int], rows: [Int]) throws(StorageError)
    -> [ColumnVector]
  {
    guard block >= 0 && block < footer.blocks.count else {
      throw .corrupt(file: path, column: nil, block: block, reason: "no such block")
    }
    let count = footer.blocks[block].rows
    guard rows.allSatisfy({ $0 >= 0 && $0 < count }) else {
      throw .corrupt(file: path, column: nil, block: block, reason: "no such row")
    }
    var timeCache: [Int64]? = nil
    var out: [ColumnVector] = []
    out.reserveCapacity(columns.count)
    for c in columns {
      guard let column = mapping[c] else {
        out.append(.nulls(schema.columns[c].type, count: rows.count))
        continue
      }
      let type = footer.columns[column].type
      if footer.blocks[block].chunks[column].storedLength == 0 {
        out.append(.nulls(type, count: rows.count))
        continue
      }
      let time = timeColumn
      let reference = { () -> [Int64]? in
        if timeCache == nil, let t = time,
          let v = try? self.decodeRows(block: block, column: t, count: count, rows: rows, { nil }),
          case .timestamp(let a) = v.values
        {
          timeCache = a
        }
        return timeCache
      }
      out.append(try decodeRows(block: block, column: column, count: count, rows: rows, reference))
    }
    return out
  }

  private func decodeRows(
    block: Int, column: Int, count: Int, rows: [Int], _ reference: () -> [Int64]?
  ) throws(StorageError) -> ColumnVector {
    let type = footer.columns[column].type
    if footer.blocks[block].chunks[column].storedLength == 0 {
      return .nulls(type, count: rows.count)
    }
    return try decodeStored(block: block, column: column) { b, chunk throws(SegmentChunk.Failure) in
      try SegmentChunk.decode(
        b, chunk: chunk, type: type, count: count, rows: rows, reference: reference)
    }
  }

  /// Reads string column `c` (schema position) of block `block` as its dictionary and codes.
  /// Nil when the column is not a string column of this file.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` when a checksum fails.
  public func readStrings(block: Int, column c: Int) throws(StorageError) -> StringCodes? {
    guard block >= 0 && block < footer.blocks.count else {
      throw .corrupt(file: path, column: nil, block: block, reason: "no such block")
    }
    let rows = footer.blocks[block].rows
    let column = mapping[c]
    guard let column else { return schema.columns[c].type == .string ? .nulls(rows) : nil }
    guard footer.columns[column].type == .string else { return nil }
    if footer.blocks[block].chunks[column].storedLength == 0 { return .nulls(rows) }
    return try decodeStored(block: block, column: column) { b, chunk throws(SegmentChunk.Failure) in
      try SegmentChunk.decodeStrings(b, chunk: chunk, rows: rows)
    }
  }

  /// Reads address column `c` (schema position) of block `block` as host-order IPv4 values when
  /// the block holds IPv4 addresses only, or else decoded.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` when a checksum fails.
  public func readAddresses(block: Int, column c: Int) throws(StorageError) -> AddressColumn {
    guard block >= 0 && block < footer.blocks.count, let column = mapping[c],
      footer.columns[column].type == .ip, footer.blocks[block].chunks[column].storedLength > 0
    else {
      return .decoded(try read(block: block, columns: [c])[0])
    }
    let rows = footer.blocks[block].rows
    return try decodeStored(block: block, column: column) { b, chunk throws(SegmentChunk.Failure) in
      try SegmentChunk.decodeAddresses(b, chunk: chunk, rows: rows)
    }
  }

  func decodeChunk(block: Int, column: Int, rows: Int, reference: () -> [Int64]?)
    throws(StorageError) -> ColumnVector
  {
    let type = footer.columns[column].type
    if footer.blocks[block].chunks[column].storedLength == 0 { return .nulls(type, count: rows) }
    return try decodeStored(block: block, column: column) { b, chunk throws(SegmentChunk.Failure) in
      try SegmentChunk.decode(b, chunk: chunk, type: type, rows: rows, reference: reference)
    }
  }

  /// Reads one chunk's stored bytes and decodes them with `decode`; a short read or a chunk
  /// that does not decode is reported as corrupt, naming the file, column and block.
  private func decodeStored<T>(
    block: Int, column: Int,
    _ decode: (UnsafeRawBufferPointer, ChunkMeta) throws(SegmentChunk.Failure) -> T
  ) throws(StorageError) -> T {
    let chunk = footer.blocks[block].chunks[column]
    let name = footer.columns[column].name
    let start = Int(chunk.offset)
    let length = Int(chunk.storedLength)
    if let mapped = mapped?.bytes, start >= 0, length >= 0, start <= mapped.count - length {
      let bytes = UnsafeRawBufferPointer(rebasing: mapped[start..<(start + length)])
      do throws(SegmentChunk.Failure) {
        return try decode(bytes, chunk)
      } catch {
        throw .corrupt(file: path, column: name, block: block, reason: error.reason)
      }
    }
    var result: Result<Int, StorageError> = .success(0)
    // pread fills the bytes; what it did not reach (a short file) is zeroed below.
    let stored = [UInt8](unsafeUninitializedCapacity: Int(chunk.storedLength)) { b, n in
      result = Result { () throws(StorageError) in
        try fs.pread(fd, UnsafeMutableRawBufferPointer(b), offset: Int(chunk.offset), path: path)
      }
      let got = (try? result.get()) ?? 0
      if got < b.count { (b.baseAddress! + got).initialize(repeating: 0, count: b.count - got) }
      n = b.count
    }
    let got = try result.get()
    guard got == stored.count else {
      throw .corrupt(file: path, column: name, block: block, reason: "chunk past end of file")
    }
    let decoded = stored.withUnsafeBytes { b in
      Result { () throws(SegmentChunk.Failure) in try decode(b, chunk) }
    }
    switch decoded {
    case .success(let v): return v
    case .failure(let f): throw .corrupt(file: path, column: name, block: block, reason: f.reason)
    }
  }
}
