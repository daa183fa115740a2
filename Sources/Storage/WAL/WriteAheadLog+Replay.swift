extension WriteAheadLog {
  /// One entry read back.
  struct Entry {
    var sequence: UInt64
    var batch: ColumnBatch
  }

  /// True for what direct writes leave after the last entry (``DirectAppender``): zeros up to
  /// the end of its block. Anything else past the last valid entry is a torn entry.
  static func isPadding(_ tail: ArraySlice<UInt8>) -> Bool {
    tail.count < DirectAppender.block && tail.allSatisfy { $0 == 0 }
  }

  /// Reads every whole, valid entry with a sequence number above `after`, in order. Reading a
  /// file stops at its first torn or corrupt entry (a crash mid-append); `tornFiles` reports the
  /// valid length of each file that had such a tail (zero padding is not one: ``isPadding(_:)``).
  static func replay(
    directory: String, fs: any FileSystem, after: UInt64, schemas: [String: TableSchema]
  ) throws(StorageError) -> (entries: [Entry], last: UInt64, tornFiles: [(String, Int)]) {
    var entries: [Entry] = []
    var last = after
    var torn: [(String, Int)] = []
    let names: [String]
    do throws(StorageError) {
      names = try fs.list(directory).filter { $0.hasSuffix(".wal") }
    } catch {
      return ([], after, [])
    }
    for name in names {
      let path = directory + "/" + name
      let bytes: [UInt8]
      do throws(StorageError) {
        bytes = try fs.readFile(path)
      } catch {
        if case .system(_, _, let e) = error, e == .noSuchFile { continue }
        throw error
      }
      let valid = bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset + headerSize <= raw.count {
          let magic = UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
          let len = Int(
            UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
          let seq = UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
          let sum = UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
          guard magic == WriteAheadLog.magic || magic == BlockEntry.magic,
            offset + headerSize + len <= raw.count
          else { break }
          let payload = UnsafeRawBufferPointer(
            rebasing: raw[(offset + headerSize)..<(offset + headerSize + len)])
          guard checksum64(payload) ^ seq &* 0x9E37_79B9_7F4A_7C15 == sum else { break }
          let batch =
            seq <= after
            ? nil
            : magic == BlockEntry.magic
              ? BlockEntry.decode(payload, schemas: schemas)
              : BatchCodec.decode(payload, schemas: schemas)
          if let batch {
            entries.append(Entry(sequence: seq, batch: batch))
          }
          last = max(last, seq)
          offset += headerSize + len
        }
        return offset
      }
      if valid < bytes.count && !isPadding(bytes[valid...]) { torn.append((path, valid)) }
    }
    entries.sort { $0.sequence < $1.sequence }
    return (entries, last, torn)
  }
}
