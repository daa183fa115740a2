/// Decoding one stored chunk (a column of a block) from its bytes: checksum, LZ4, then
/// ``ColumnCodec``. Shared by segment files and the WAL's entries of encoded blocks.
enum SegmentChunk {
  /// Why a chunk did not decode.
  struct Failure: Error {
    let reason: String
  }

  /// Decodes `stored` (the chunk's stored bytes) as `rows` values of `type`. `reference` gives
  /// the block's `time` column, for a timestamp stored as differences from it.
  ///
  /// - Throws: ``Failure`` when the checksum does not match or the bytes do not decode.
  static func decode(
    _ stored: UnsafeRawBufferPointer, chunk: ChunkMeta, type: ColumnType, rows: Int,
    reference: () -> [Int64]?
  ) throws(Failure) -> ColumnVector {
    try withRaw(stored, chunk) { b throws(ColumnCodec.Malformed) in
      try ColumnCodec.decode(b, type: type, count: rows, reference: reference)
    }
  }

  /// Decodes only the rows at `rows` (ascending) of a chunk of `count` rows (see
  /// ``ColumnCodec/decode(_:type:count:rows:reference:)``).
  ///
  /// - Throws: ``Failure`` when the checksum does not match or the bytes do not decode.
  static func decode(
    _ stored: UnsafeRawBufferPointer, chunk: ChunkMeta, type: ColumnType, count: Int,
    rows: [Int], reference: () -> [Int64]?
  ) throws(Failure) -> ColumnVector {
    try withRaw(stored, chunk) { b throws(ColumnCodec.Malformed) in
      try ColumnCodec.decode(b, type: type, count: count, rows: rows, reference: reference)
    }
  }

  /// Decodes a string chunk as its dictionary and codes (see ``ColumnCodec/decodeStrings``).
  ///
  /// - Throws: ``Failure`` when the checksum does not match or the bytes do not decode.
  static func decodeStrings(_ stored: UnsafeRawBufferPointer, chunk: ChunkMeta, rows: Int)
    throws(Failure) -> StringCodes
  {
    try withRaw(stored, chunk) { b throws(ColumnCodec.Malformed) in
      try ColumnCodec.decodeStrings(b, count: rows)
    }
  }

  /// Decodes an address chunk as IPv4 values when it holds no IPv6 address, else as addresses.
  ///
  /// - Throws: ``Failure`` when the checksum does not match or the bytes do not decode.
  static func decodeAddresses(_ stored: UnsafeRawBufferPointer, chunk: ChunkMeta, rows: Int)
    throws(Failure) -> AddressColumn
  {
    try withRaw(stored, chunk) { b throws(ColumnCodec.Malformed) in
      try ColumnCodec.decodeAddresses(b, count: rows)
    }
  }

  /// Checks the chunk's checksum and hands `body` its raw (decompressed) bytes.
  private static func withRaw<T>(
    _ stored: UnsafeRawBufferPointer, _ chunk: ChunkMeta,
    _ body: (UnsafeRawBufferPointer) throws(ColumnCodec.Malformed) -> T
  ) throws(Failure) -> T {
    guard checksum64(stored) == chunk.checksum else { throw Failure(reason: "checksum mismatch") }
    var raw: [UInt8]? = nil
    if chunk.compression == SegmentFormat.lz4 {
      guard let d = LZ4.decompress(stored, rawCount: Int(chunk.rawLength)) else {
        throw Failure(reason: "LZ4 data does not decode")
      }
      raw = d
    }
    do {
      if let raw {
        return try raw.withUnsafeBytes { b throws(ColumnCodec.Malformed) in try body(b) }
      }
      return try body(stored)
    } catch {
      throw Failure(reason: "chunk does not decode")
    }
  }
}
