import Foundation
import TestSupport
import Testing

@testable import Storage

/// The WAL writes entries straight from the column arrays (with `writev(2)`, or through an
/// aligned buffer with direct I/O); these tests hold the bytes on disk to the layout
/// docs/FORMAT.md gives, rebuilt here from the rows.
@Suite struct WALTests {
  /// A WAL entry built byte by byte as FORMAT.md describes it, independently of `BatchCodec`.
  static func referenceEntry(_ batch: ColumnBatch, sequence: UInt64) -> [UInt8] {
    var p: [UInt8] = []
    func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { p += $0 } }
    func varint(_ v: Int) {
      var v = UInt64(v)
      while v >= 0x80 {
        p.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
      }
      p.append(UInt8(v))
    }
    func string(_ s: String) {
      varint(s.utf8.count)
      p += Array(s.utf8)
    }
    let n = batch.rowCount
    string(batch.schema.name)
    le(UInt32(batch.schema.version))
    le(UInt32(n))
    le(UInt16(batch.columns.count))
    for (i, c) in batch.columns.enumerated() {
      guard let c else {
        p += [0, batch.schema.columns[i].type.rawValue]
        continue
      }
      // Compact forms: one value when every row of a column without validity holds it (bit 2);
      // else IPv4-only address columns as u32 (bit 3).
      let distinct: Int
      switch c.values {
      case .uint8(let a): distinct = Set(a).count
      case .uint16(let a): distinct = Set(a).count
      case .uint32(let a): distinct = Set(a).count
      case .uint64(let a): distinct = Set(a).count
      case .timestamp(let a): distinct = Set(a).count
      case .ip(let a): distinct = Set(a).count
      case .string: distinct = 0
      }
      let constant = c.validity == nil && distinct == 1
      var v4 = false
      if !constant, case .ip(let a) = c.values { v4 = a.allSatisfy { $0.isV4 } }
      p += [(c.validity == nil ? 1 : 3) | (constant ? 4 : 0) | (v4 ? 8 : 0), c.type.rawValue]
      if c.validity != nil {
        for w in 0..<((n + 63) / 64) {
          var word: UInt64 = 0
          for b in 0..<64 where w * 64 + b < n && c.isValid(w * 64 + b) { word |= 1 << UInt64(b) }
          le(word)
        }
      }
      for r in 0..<(constant ? 1 : n) {
        if v4, case .ip(let a) = c.values {
          le(UInt32(truncatingIfNeeded: a[r].low))
          continue
        }
        switch c.values {
        case .uint8(let a): le(a[r])
        case .uint16(let a): le(a[r])
        case .uint32(let a): le(a[r])
        case .uint64(let a): le(a[r])
        case .timestamp(let a): le(a[r])
        case .ip(let a):
          le(a[r].high)
          le(a[r].low)
        case .string(let a): string(a[r])
        }
      }
    }
    var entry: [UInt8] = []
    func head<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { entry += $0 } }
    head(UInt32(0x314C_4157))
    head(UInt32(p.count))
    head(sequence)
    head(checksum64(p) ^ sequence &* 0x9E37_79B9_7F4A_7C15)
    return entry + p
  }

  /// Batches with NULL bitmaps, absent columns, strings, IPv6 and odd row counts.
  static func batches() -> [ColumnBatch] {
    var out: [ColumnBatch] = []
    for (k, rows) in [1, 63, 64, 65, 1000].enumerated() {
      var b = randomFlows(rows: rows, seed: UInt64(k) + 7, nullRate: k % 2 == 0 ? 0.2 : 0)
      // A validity bitmap with more words than the rows need (its extra words are not written).
      if let i = b.schema.index(of: "packets"), let c = b.columns[i] {
        b.columns[i] = ColumnVector(
          c.values,
          validity: Bitmap(
            words: Bitmap(count: rows, value: true).words + [0, 0],
            count: rows))
      }
      out.append(b)
    }
    return out
  }

  /// The file holds exactly the reference entries, in order, and replays to the same rows, with
  /// direct I/O (then followed by zero padding to a block) and without.
  @Test(arguments: [false, true]) func entriesMatchTheDocumentedLayout(direct: Bool) throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = PosixFileSystem()
    let batches = Self.batches()
    let wal = try WriteAheadLog(directory: dir, fs: fs, nextSequence: 5, direct: direct)
    for b in batches { _ = try wal.append(b) }
    let bytes = try fs.readFile(wal.currentFile)
    var expected: [UInt8] = []
    for (k, b) in batches.enumerated() {
      expected += Self.referenceEntry(b, sequence: 5 + UInt64(k))
    }
    // Direct writes pad the file with zeros to a whole block (FORMAT.md).
    #expect(Array(bytes.prefix(expected.count)) == expected)
    #expect(bytes.count - expected.count < DirectAppender.block)
    #expect(bytes[expected.count...].allSatisfy { $0 == 0 })
    let replay = try WriteAheadLog.replay(
      directory: dir, fs: fs, after: 0, schemas: ["flows": FlowSchema.flows])
    #expect(replay.entries.map(\.sequence) == Array(5..<(5 + UInt64(batches.count))))
    #expect(replay.entries.map { rowsOf($0.batch) } == batches.map(rowsOf))
    #expect(replay.tornFiles.isEmpty)
  }

  /// The streaming checksum over any split of the bytes equals the one-shot checksum.
  @Test func checksumStreamMatchesOneShot() {
    var rng = SplitMix(seed: 3)
    for length in Array(0...130) + [1000, 4099] {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
      for _ in 0..<6 {
        var cuts = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
          Int.random(in: 0...length, using: &rng)
        }
        cuts = ([0] + cuts + [length]).sorted()
        var s = ChecksumStream(total: length)
        bytes.withUnsafeBytes { raw in
          for k in 0..<(cuts.count - 1) {
            s.update(UnsafeRawBufferPointer(rebasing: raw[cuts[k]..<cuts[k + 1]]))
          }
        }
        #expect(s.finish() == checksum64(bytes), "length \(length) cuts \(cuts)")
      }
    }
  }

  /// `writev` writes every buffer in order, empty ones and more than IOV_MAX of them included.
  @Test func writevManyBuffers() throws {
    let dir = temporaryDirectory()
    defer { cleanup(dir) }
    let fs = PosixFileSystem()
    // 3000 runs of 0–6 bytes, laid out back to back in one array.
    let lengths = (0..<3000).map { $0 % 7 }
    let all = lengths.enumerated().flatMap { i, n in
      [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: n)
    }
    let path = dir + "/v"
    let fd = try fs.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
    defer { fs.close(fd) }
    try all.withUnsafeBytes { raw in
      var start = 0
      var buffers: [UnsafeRawBufferPointer] = []
      for n in lengths {
        buffers.append(UnsafeRawBufferPointer(rebasing: raw[start..<(start + n)]))
        start += n
      }
      try fs.writev(fd, buffers, path: path)
    }
    #expect(try fs.readFile(path) == all)
  }
}
