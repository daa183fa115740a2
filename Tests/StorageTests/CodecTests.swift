import CLZ4
import Foundation
import TestSupport
import Testing

@testable import Storage

@Suite struct CodecTests {
  /// Every integer encoding must reproduce its input exactly, whatever the distribution.
  @Test(arguments: 0..<40)
  func integerRoundTrip(seed: Int) throws {
    var rng = SplitMix(seed: UInt64(seed))
    let n = Int.random(in: 1...5000, using: &rng)
    let shape = seed % 5
    let values: [UInt64] = (0..<n).map { i in
      switch shape {
      case 0: return 7
      case 1: return UInt64.random(in: 0...UInt64.max, using: &rng)
      case 2: return 1_000_000 + UInt64(i) * 3 + UInt64.random(in: 0...2, using: &rng)
      case 3: return [5, 99, 1 << 40][Int.random(in: 0..<3, using: &rng)]
      default:
        return Int.random(in: 0..<20, using: &rng) == 0
          ? UInt64.random(in: 0...UInt64.max, using: &rng) : UInt64.random(in: 0..<16, using: &rng)
      }
    }
    var w = ByteWriter()
    IntegerCodec.encode(values, into: &w)
    w.append([UInt8](repeating: 0, count: 8))
    var out = [UInt64](repeating: 0, count: n)
    try w.bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      try out.withUnsafeMutableBufferPointer { p in
        try IntegerCodec.decode(&r, count: n, into: p.baseAddress!)
      }
    }
    #expect(out == values)
    // The narrowing decoder (u8/u16/u32 columns) agrees with the wide one, truncated.
    var narrow = [UInt16](repeating: 0, count: n)
    try w.bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      try narrow.withUnsafeMutableBufferPointer { p in
        try IntegerCodec.decode(&r, count: n, narrowingInto: p.baseAddress!)
      }
    }
    #expect(narrow == values.map { UInt16(truncatingIfNeeded: $0) })
  }

  /// Dictionary ranks, by packed sort (narrow spans) or by binary search (spans of 52 bits or
  /// more), agree with a plain sort and search.
  @Test func dictionaryRanks() {
    var rng = SplitMix(seed: 5)
    for round in 0..<60 {
      let count = [1, 2, 17, 4096, Int.random(in: 1...4096, using: &rng)][round % 5]
      let span: UInt64 = [1 << 16, 1 << 52 - 1, 1 << 52, .max][round % 4]
      let base = UInt64.random(in: 0...(.max - min(span, .max - 1)), using: &rng)
      var seen = Set<UInt64>()
      var entries: [UInt64] = []
      while entries.count < min(count, Int(min(span, 1 << 20))) {
        let v = base &+ UInt64.random(in: 0...span, using: &rng)
        if seen.insert(v).inserted { entries.append(v) }
      }
      let (sorted, rank) = IntegerCodec.ranks(of: entries)
      let expected = entries.sorted()
      #expect(sorted == expected)
      let position = Dictionary(uniqueKeysWithValues: expected.enumerated().map { ($1, $0) })
      #expect(rank.map(Int.init) == entries.map { position[$0]! })
    }
  }

  /// The radix sort agrees with the standard sort for every digit count (1 to 6 passes).
  @Test func radixSortAgreesWithSort() {
    var rng = SplitMix(seed: 8)
    for bits in [1, 11, 12, 22, 23, 40, 56, 64] {
      for n in [0, 1, 2, 300, 4096] {
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        var keys = (0..<n).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) & mask }
        let expected = keys.sorted()
        IntegerCodec.radixSort(&keys, bits: bits)
        #expect(keys == expected, "bits \(bits) n \(n)")
      }
    }
  }

  /// The bounds the column encoder reports (which sealing uses as the block's zone map) equal
  /// the zone map computed from the values, for every column type, with and without NULLs,
  /// IPv4 and IPv6 addresses, and at offsets inside the batch.
  @Test func encoderBoundsMatchZoneMaps() {
    var reported = 0
    for seed in 0..<12 {
      let batch = randomFlows(
        rows: 700, seed: UInt64(seed), nullRate: seed % 3 == 0 ? 0 : 0.3 + 0.2 * Double(seed % 2))
      for range in [0..<700, 13..<400, 650..<651] {
        for column in batch.columns.compactMap({ $0 }) {
          let zone = ZoneMap(of: column, rows: range)
          guard zone.nullCount < range.count else { continue }
          let buffers = ChunkBuffers()
          if let bounds = ColumnCodec.encode(column, rows: range, reference: nil, into: buffers) {
            #expect(bounds == zone.bounds, "\(column.type) rows \(range)")
            reported += 1
          }
        }
      }
    }
    #expect(reported > 300)
  }

  /// A column holding one value is stored as FORMAT.md's constant stream, byte for byte:
  /// flags 0, mode 0, (address family,) kind 0 and the value as u64 LE.
  @Test func constantColumnsByteForByte() {
    func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let n = 300
    let cases: [(ColumnVector, [UInt8])] = [
      (ColumnVector(.uint32([UInt32](repeating: 7, count: n))), [0, 0, 0] + le(7)),
      (ColumnVector(.uint8([UInt8](repeating: 0, count: n))), [0, 0, 0] + le(0)),
      (
        ColumnVector(.ip([IPAddress](repeating: IPAddress(v4: 0x0A00_0001), count: n))),
        [0, 0, 4, 0] + le(0x0A00_0001)
      ),
      (
        ColumnVector(.ip([IPAddress](repeating: IPAddress(high: 0x2001_0db8, low: 5), count: n))),
        [0, 0, 6, 0] + le(0x2001_0db8) + [0] + le(5)
      ),
      (
        ColumnVector(.timestamp([Int64](repeating: -2, count: n))),
        [0, 0, 0] + le(UInt64(bitPattern: -2) ^ (1 << 63))
      ),
    ]
    for (column, expected) in cases {
      #expect(ColumnCodec.encode(column, rows: 0..<n, reference: nil) == expected, "\(column.type)")
      // Rows inside a longer column, whose other rows differ.
      var longer = column
      longer.append(ColumnVector(.placeholders(column.type, count: 1)))
      #expect(ColumnCodec.encode(longer, rows: 0..<n, reference: nil) == expected)
    }
  }

  /// The packed bytes are the documented layout (value `i` at bits `[i*w, (i+1)*w)` of a
  /// little-endian stream, then eight zero bytes), set bit by bit here, for every width and
  /// counts around the packer's groups of eight.
  @Test func bitPackingMatchesTheLayout() {
    var rng = SplitMix(seed: 21)
    for width in 1...56 {
      for count in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300] {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        let values = (0..<count).map { _ in rng.next() & mask }
        var w = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &w) }
        var expected = [UInt8](repeating: 0, count: (count * width + 7) / 8 + 8)
        for (i, v) in values.enumerated() {
          for b in 0..<width where v >> UInt64(b) & 1 == 1 {
            expected[(i * width + b) / 8] |= 1 << UInt8((i * width + b) % 8)
          }
        }
        #expect(w.bytes == expected, "width \(width), count \(count)")
      }
    }
  }

  @Test func bitPackingEveryWidth() {
    for width in Array(0...56) + [64] {
      let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
      let values = (0..<257).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 & mask }
      var w = ByteWriter()
      values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &w) }
      var out = [UInt64](repeating: 0, count: values.count)
      w.bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer {
          BitPacking.unpack(
            raw.baseAddress!, count: values.count, width: width, base: 0, into: $0.baseAddress!)
        }
      }
      #expect(out == values, "width \(width)")
    }
  }

  /// Column chunks of every type, with NULLs, survive encode + LZ4 + decode.
  @Test func columnChunkRoundTrip() throws {
    let batch = randomFlows(rows: 3000, seed: 11)
    let times: [Int64]
    guard case .timestamp(let t) = batch.columns[0]!.values else { return }
    times = t
    for (i, c) in batch.columns.enumerated() {
      guard let c else { continue }
      let raw = ColumnCodec.encode(c, reference: i == 0 ? nil : times)
      let packed = LZ4.compress(raw) ?? raw
      let back =
        packed == raw ? raw : packed.withUnsafeBytes { LZ4.decompress($0, rawCount: raw.count)! }
      let v = try back.withUnsafeBytes {
        try ColumnCodec.decode($0, type: c.type, count: c.count, reference: { times })
      }
      #expect(v.validity?.setCount ?? v.count == c.validity?.setCount ?? c.count)
      for r in 0..<c.count { #expect(cell(v, r) == cell(c, r)) }
    }
  }

  /// liblz4 never shrinks an input under 13 bytes, even all zeros, which is why
  /// ``LZ4/compress(_:into:)`` does not call it for one (constant chunks are 11 or 12 bytes).
  @Test func lz4LeavesShortInputsAlone() {
    for n in 1...12 {
      for fill: UInt8 in [0, 0xAB] {
        let input = [UInt8](repeating: fill, count: n)
        var out = [UInt8](repeating: 0, count: Int(LZ4_compressBound(Int32(n))))
        let written = input.withUnsafeBytes { src in
          out.withUnsafeMutableBytes { dst in
            LZ4_compress_default(
              src.baseAddress!.assumingMemoryBound(to: CChar.self),
              dst.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(n), Int32(dst.count))
          }
        }
        #expect(Int(written) > n, "\(n) bytes of \(fill)")
        #expect(LZ4.compress(input) == nil)
      }
    }
    // From 13 bytes on it may: 64 zero bytes shrink.
    #expect(LZ4.compress([UInt8](repeating: 0, count: 64)) != nil)
  }

  @Test func addressText() {
    for s in [
      "10.0.0.1", "255.255.255.255", "2001:db8::1", "::", "::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8",
    ] {
      #expect(IPAddress(s)?.description == s)
    }
    #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
    #expect(IPAddress("::ffff:1.2.3.4")?.description == "1.2.3.4")
    for bad in ["1.2.3", "256.1.1.1", "1::2::3", "abc", "1.2.3.4.5", "12345::"] {
      #expect(IPAddress(bad) == nil, "\(bad)")
    }
  }

  /// The checksum notices every single-bit flip.
  @Test func checksumDetectsBitFlips() {
    var bytes = (0..<203).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let sum = checksum64(bytes)
    for i in 0..<bytes.count {
      for b in 0..<8 {
        bytes[i] ^= 1 << UInt8(b)
        #expect(checksum64(bytes) != sum)
        bytes[i] ^= 1 << UInt8(b)
      }
    }
  }
}

@Suite struct TimestampTests {
  /// Formatting agrees with Foundation's ISO 8601 formatter over a wide range of instants.
  @Test func agreesWithFoundation() {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    f.timeZone = TimeZone(identifier: "UTC")
    var rng = SplitMix(seed: 5)
    for _ in 0..<2000 {
      let ms = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &rng)
      let text = Timestamp.iso8601(ms)
      #expect(text == f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)))
      #expect(Timestamp.parse(text) == ms)
    }
    #expect(Timestamp.parse("2026-11-28") == 1_795_824_000_000)
    #expect(Timestamp.parse("2026-11-28T01:00:00+01:00") == 1_795_824_000_000)
    #expect(Timestamp.parse("2026-11-28 00:00") == 1_795_824_000_000)
    for bad in ["2026-13-01", "2026-11-28T25:00", "yesterday", "2026-11-28T10:00:00.Z", ""] {
      #expect(Timestamp.parse(bad) == nil, "\(bad)")
    }
  }
}
