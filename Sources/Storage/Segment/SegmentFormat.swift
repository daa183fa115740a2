/// Constants and metadata of the segment file format (documented byte by byte in
/// `docs/FORMAT.md`).
enum SegmentFormat {
  /// The first eight bytes of every segment file.
  static let headMagic: [UInt8] = Array("FLOWSEG1".utf8)
  /// The last eight bytes of every segment file.
  static let tailMagic: [UInt8] = Array("FLOWEND1".utf8)
  /// The footer layout version.
  static let footerVersion: UInt16 = 1
  /// Trailer: footer offset u64, footer length u32, footer checksum u64, tail magic.
  static let trailerSize = 28
  /// Chunk compression codes.
  static let uncompressed: UInt8 = 0
  static let lz4: UInt8 = 1
}

/// Where one column of one block lives in the file, and what is known about it.
struct ChunkMeta: Sendable, Equatable {
  /// Byte offset of the stored chunk.
  var offset: UInt64
  /// Stored (possibly compressed) length; 0 means every row is NULL and nothing is stored.
  var storedLength: UInt32
  /// Length before compression.
  var rawLength: UInt32
  /// ``SegmentFormat/uncompressed`` or ``SegmentFormat/lz4``.
  var compression: UInt8
  /// ``checksum64(_:)`` of the stored bytes.
  var checksum: UInt64
  /// Zone map of the chunk.
  var zone: ZoneMap
}

/// One block: its row count and one chunk per column.
struct BlockMeta: Sendable, Equatable {
  var rows: Int
  var chunks: [ChunkMeta]
}

/// The decoded footer of a segment.
struct SegmentFooter: Sendable, Equatable {
  var table: String
  var schemaVersion: Int
  var columns: [(name: String, type: ColumnType)]
  var blocks: [BlockMeta]

  static func == (a: SegmentFooter, b: SegmentFooter) -> Bool {
    a.table == b.table && a.schemaVersion == b.schemaVersion && a.blocks == b.blocks
      && a.columns.map(\.name) == b.columns.map(\.name)
      && a.columns.map(\.type) == b.columns.map(\.type)
  }
}
