extension BatchCodec {
  /// Where one run of a WAL entry's bytes comes from.
  enum Piece {
    /// Bytes of the small side buffer (entry header, batch head, column flags, strings).
    case meta(Range<Int>)
    /// The validity words of column `i` (exactly `ceil(rows/64)` of them).
    case validity(Int)
    /// The values of fixed-width column `i`, in host byte order.
    case values(Int)
  }

  /// Lays out the payload of `batch` (``encode(_:into:)``'s bytes) without copying the
  /// column arrays: the small parts are appended to `meta` (after whatever it holds, e.g. the
  /// entry header) and `pieces` lists, in order, the meta ranges and the column arrays to
  /// write between them.
  static func layout(_ batch: ColumnBatch, meta: inout ByteWriter, pieces: inout [Piece]) {
    var start = 0
    func flush() {
      if meta.bytes.count > start { pieces.append(.meta(start..<meta.bytes.count)) }
      start = meta.bytes.count
    }
    head(batch, into: &meta)
    let words = (batch.rowCount + 63) / 64
    for (i, c) in batch.columns.enumerated() {
      guard let c else {
        meta.u8(0)
        meta.u8(batch.schema.columns[i].type.rawValue)
        continue
      }
      let flagsAt = meta.bytes.count
      var flags = c.validity == nil ? flagPresent : flagPresent | flagValidity
      meta.u8(flags)
      meta.u8(c.type.rawValue)
      if let v = c.validity {
        if v.words.count >= words {
          flush()
          pieces.append(.validity(i))
        } else {
          // Fewer words than the rows need (bits past `count` are zero): pad here.
          for k in 0..<words { meta.u64(k < v.words.count ? v.words[k] : 0) }
        }
      }
      if case .string(let a) = c.values {
        for s in a { meta.string(s) }
      } else if c.validity == nil, writeIfConstant(c.values, into: &meta) {
        flags |= flagConstant
      } else if case .ip(let a) = c.values, writeIfIPv4(a, into: &meta) {
        flags |= flagIPv4
      } else {
        flush()
        pieces.append(.values(i))
      }
      meta.bytes[flagsAt] = flags
    }
    flush()
  }

  /// Writes the batch head: table name, schema version, row count, column count.
  static func head(_ batch: ColumnBatch, into w: inout ByteWriter) {
    w.string(batch.schema.name)
    w.u32(UInt32(batch.schema.version))
    w.u32(UInt32(batch.rowCount))
    w.u16(UInt16(batch.columns.count))
  }

  /// Calls `body` with the raw bytes of every piece of `layout`, in order, while the column
  /// arrays stay pinned: each column's buffers are borrowed in turn by nested closures, so no
  /// pointer outlives the array it points into.
  static func withBuffers<R>(
    _ batch: ColumnBatch, meta: UnsafeRawBufferPointer, pieces: [Piece],
    _ body: ([UnsafeRawBufferPointer]) throws(StorageError) -> R
  ) throws(StorageError) -> R {
    let words = (batch.rowCount + 63) / 64
    var validity = [UnsafeRawBufferPointer?](repeating: nil, count: batch.columns.count)
    var values = [UnsafeRawBufferPointer?](repeating: nil, count: batch.columns.count)
    func pin(_ i: Int) throws(StorageError) -> R {
      guard i < batch.columns.count else {
        let buffers = pieces.map { p -> UnsafeRawBufferPointer in
          switch p {
          case .meta(let r): UnsafeRawBufferPointer(rebasing: meta[r])
          case .validity(let c): validity[c]!
          case .values(let c): values[c]!
          }
        }
        return try body(buffers)
      }
      guard let c = batch.columns[i] else { return try pin(i + 1) }
      func withValues<T>(_ a: [T]) throws(StorageError) -> R {
        try a.withUnsafeBytes { b in
          values[i] = b
          return Result { () throws(StorageError) in try pin(i + 1) }
        }.get()
      }
      func withColumn() throws(StorageError) -> R {
        switch c.values {
        case .uint8(let a): try withValues(a)
        case .uint16(let a): try withValues(a)
        case .uint32(let a): try withValues(a)
        case .uint64(let a): try withValues(a)
        case .timestamp(let a): try withValues(a)
        case .ip(let a): try withValues(a)
        case .string: try pin(i + 1)
        }
      }
      guard let v = c.validity, v.words.count >= words else { return try withColumn() }
      return try v.words.withUnsafeBytes { b in
        validity[i] = UnsafeRawBufferPointer(rebasing: b.prefix(words * 8))
        return Result { () throws(StorageError) in try withColumn() }
      }.get()
    }
    return try pin(0)
  }
}
