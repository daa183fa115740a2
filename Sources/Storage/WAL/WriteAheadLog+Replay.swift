extension WriteAheadLog {
  /// One entry read back.
  struct Entry {
    var sequence: UInt64
    var batch: ColumnBatch
  }

  /// What replaying the log found: the entries above the checkpoint, the highest sequence number,
  /// and the files whose end held a torn or damaged entry, with their valid length.
  struct Replay {
    var entries: [Entry] = []
    var last: UInt64
    var tornFiles: [TornEnd] = []
  }

  /// A file whose last entry is incomplete or fails its check.
  struct TornEnd {
    /// The file.
    var path: String
    /// The length of its valid entries (and where the bad one starts).
    var valid: Int
    /// The file's length.
    var length: Int
    /// True when the last entry is whole (it fits in the file) yet fails its checksum or has
    /// no known magic: damage (or a write torn by a power loss), not an append under way.
    var damaged: Bool
  }

  /// True for what direct writes leave after the last entry (``DirectAppender``): zeros up to
  /// the end of its block. Anything else past the last valid entry is a torn entry.
  static func isPadding(_ tail: ArraySlice<UInt8>) -> Bool {
    tail.count < DirectAppender.block && tail.allSatisfy { $0 == 0 }
  }

  /// Reads every whole, valid entry with a sequence number above `after`, in order.
  ///
  /// Reading a file stops at its first entry that is incomplete or fails its checksum. When no
  /// valid entry follows it, that is the file's end: `tornFiles` reports each file that had a bad
  /// one (zero padding is not one: ``isPadding(_:)``), telling an incomplete entry (an append
  /// under way, or cut by a crash) from a whole one that fails its check (``TornEnd/damaged``).
  ///
  /// - Throws: ``StorageError/corrupt(file:column:block:reason:)`` naming the file and the byte
  ///   offset when a damaged entry is followed by valid ones: the log is damaged, not torn, and
  ///   skipping it would drop the rows after it without a word.
  static func replay(
    directory: String, fs: any FileSystem, after: UInt64, schemas: [String: TableSchema]
  ) throws(StorageError) -> Replay {
    var out = Replay(last: after)
    let names: [String]
    do throws(StorageError) {
      names = try fs.list(directory).filter { $0.hasSuffix(".wal") }
    } catch {
      return out
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
      let (valid, damagedEntry) = bytes.withUnsafeBytes { raw in
        var offset = 0
        var index = 0
        while let len = validEntry(raw, at: offset) {
          let payload = UnsafeRawBufferPointer(
            rebasing: raw[(offset + headerSize)..<(offset + headerSize + len)])
          let seq = UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
          let magic = UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
          let batch =
            seq <= after
            ? nil
            : magic == BlockEntry.magic
              ? BlockEntry.decode(payload, schemas: schemas)
              : BatchCodec.decode(payload, schemas: schemas)
          if let batch {
            out.entries.append(Entry(sequence: seq, batch: batch))
          }
          out.last = max(out.last, seq)
          offset += headerSize + len
          index += 1
        }
        // Data past this entry's end, or a valid entry further on, means it was damaged in
        // place: appends only ever leave their last entry unfinished.
        let resumes =
          offset < raw.count
          && (dataFollows(raw, entryAt: offset) || nextValidEntry(raw, after: offset) != nil)
        return (offset, resumes ? index : nil)
      }
      if let damagedEntry {
        throw .corrupt(
          file: path, column: nil, block: nil,
          reason:
            "entry \(damagedEntry) at byte \(valid) is damaged (checksum or header) and valid "
            + "entries follow it")
      }
      if valid < bytes.count && !isPadding(bytes[valid...]) {
        let incomplete = bytes.withUnsafeBytes { raw in
          guard valid + headerSize <= raw.count else { return true }
          let magic = UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: valid, as: UInt32.self))
          let len = Int(
            UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: valid + 4, as: UInt32.self)))
          return (magic == WriteAheadLog.magic || magic == BlockEntry.magic)
            && valid + headerSize + len > raw.count
        }
        out.tornFiles.append(
          TornEnd(path: path, valid: valid, length: bytes.count, damaged: !incomplete))
      }
    }
    out.entries.sort { $0.sequence < $1.sequence }
    return out
  }

  /// The payload length of the whole entry with a known magic and a matching checksum at
  /// `offset`, or nil.
  static func validEntry(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Int? {
    guard offset >= 0, offset + headerSize <= raw.count else { return nil }
    let magic = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    guard magic == WriteAheadLog.magic || magic == BlockEntry.magic else { return nil }
    let len = Int(
      UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
    guard offset + headerSize + len <= raw.count else { return nil }
    let seq = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
    let sum = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
    let payload = UnsafeRawBufferPointer(
      rebasing: raw[(offset + headerSize)..<(offset + headerSize + len)])
    guard checksum64(payload) ^ seq &* 0x9E37_79B9_7F4A_7C15 == sum else { return nil }
    return len
  }

  /// True when the entry at `offset` has a known magic and a length that fits, and bytes other
  /// than zero padding follow its end.
  static func dataFollows(_ raw: UnsafeRawBufferPointer, entryAt offset: Int) -> Bool {
    guard offset + headerSize <= raw.count else { return false }
    let magic = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    guard magic == WriteAheadLog.magic || magic == BlockEntry.magic else { return false }
    let end =
      offset + headerSize
      + Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
    guard end < raw.count else { return false }
    return !raw[end...].allSatisfy { $0 == 0 }
  }

  /// The offset of the first valid entry after `offset` (searched byte by byte), or nil.
  static func nextValidEntry(_ raw: UnsafeRawBufferPointer, after offset: Int) -> Int? {
    var o = offset + 1
    while o + headerSize <= raw.count {
      // Both magics start with "W" (0x57) in the file's little-endian order.
      if raw[o] == 0x57, validEntry(raw, at: o) != nil { return o }
      o += 1
    }
    return nil
  }
}
