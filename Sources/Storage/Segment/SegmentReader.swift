#if canImport(Glibc)
  import Glibc
#endif

/// An open sealed segment: its footer in memory and a descriptor for reading chunks.
///
/// Segments are immutable, so one reader is shared by every scan unit of the segment, on any
/// thread (`pread` has no shared offset).
public final class SegmentReader: BlockSource, Sendable {
  /// The file path.
  public let path: String
  let fd: Int32
  let fs: any FileSystem
  let footer: SegmentFooter
  /// Maps each column of the reading schema to its position in the file (nil: read as NULL).
  let mapping: [Int?]
  let schema: TableSchema
  let timeColumn: Int?
  /// The whole file mapped read-only (segments never change once named in the catalog), so a
  /// chunk is decoded where it lies instead of being copied out first; nil where the file system
  /// maps nothing, and chunks are read with `pread`.
  let mapped: MappedBytes?

  /// Opens a segment and checks its trailer and footer; with `map`, the file is mapped read-only
  /// and chunks are decoded where they lie, else each chunk is read with `pread`.
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` when the file is truncated or
  ///   its footer fails its checksum; a system error when it cannot be opened.
  public init(
    path: String, schema: TableSchema, fs: any FileSystem = PosixFileSystem(), map: Bool = true
  ) throws(StorageError) {
    let fd = try fs.open(path, flags: O_RDONLY, mode: 0)
    do throws(StorageError) {
      footer = try Self.loadFooter(fd: fd, path: path, fs: fs)
    } catch {
      fs.close(fd)
      throw error
    }
    self.fd = fd
    self.path = path
    self.fs = fs
    self.schema = schema
    let fileColumns = footer.columns
    let mapping = schema.columns.map { c in
      fileColumns.firstIndex { $0.name == c.name && $0.type == c.type }
    }
    self.mapping = mapping
    timeColumn = schema.timeIndex.flatMap { mapping[$0] }
    mapped =
      map ? fs.size(path).flatMap { fs.mapReadOnly(fd, length: $0) }.map(MappedBytes.init) : nil
  }

  deinit {
    if let mapped { fs.unmap(mapped.bytes) }
    fs.close(fd)
  }

  static func loadFooter(fd: Int32, path: String, fs: any FileSystem) throws(StorageError)
    -> SegmentFooter
  {
    guard let size = fs.size(path), size >= SegmentFormat.trailerSize + 8 else {
      throw .corrupt(file: path, column: nil, block: nil, reason: "file too short")
    }
    var trailer = [UInt8](repeating: 0, count: SegmentFormat.trailerSize)
    let got = try trailer.withUnsafeMutableBytes { b in
      Result { () throws(StorageError) in
        try fs.pread(fd, b, offset: size - SegmentFormat.trailerSize, path: path)
      }
    }.get()
    guard got == SegmentFormat.trailerSize,
      Array(trailer[20..<28]) == SegmentFormat.tailMagic
    else { throw .corrupt(file: path, column: nil, block: nil, reason: "bad trailer") }
    let (offset, length, sum) = trailer.withUnsafeBytes {
      (
        Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self))),
        Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
        UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
      )
    }
    guard offset >= 8, length >= 0, offset + length == size - SegmentFormat.trailerSize else {
      throw .corrupt(file: path, column: nil, block: nil, reason: "bad footer position")
    }
    var fbytes = [UInt8](repeating: 0, count: length)
    _ = try fbytes.withUnsafeMutableBytes { b in
      Result { () throws(StorageError) in try fs.pread(fd, b, offset: offset, path: path) }
    }.get()
    guard checksum64(fbytes) == sum else {
      throw .corrupt(file: path, column: nil, block: nil, reason: "footer checksum mismatch")
    }
    do {
      return try fbytes.withUnsafeBytes { b throws(ByteReader.Truncated) in
        try SegmentFooter(decoding: b)
      }
    } catch {
      throw .corrupt(file: path, column: nil, block: nil, reason: "unreadable footer")
    }
  }

  /// The number of blocks.
  public var blockCount: Int { footer.blocks.count }

  /// Rows in the segment.
  public var rowCount: Int { footer.blocks.reduce(0) { $0 + $1.rows } }

  /// Scan units, one per block, with zone maps in the reading schema's column order.
  public func units(name: String) -> [ScanUnit] {
    footer.blocks.enumerated().map { k, b in
      ScanUnit(
        segment: name, block: k, rowCount: b.rows,
        zones: mapping.map { m in m.map { b.chunks[$0].zone } },
        source: self)
    }
  }
}
