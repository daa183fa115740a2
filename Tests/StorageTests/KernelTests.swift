import TestSupport
import Testing

@testable import Storage

/// Round trips of the bit-packing kernels and of every integer encoding kind through every
/// decoder (wide and narrowing), checked against the original arrays.
@Suite struct KernelTests {
  /// Widths the tests cover: the edges of the byte and word boundaries and of the packer.
  static let widths = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 16, 17, 31, 32, 33, 55, 56, 57, 63, 64,
  ]
  /// Value counts: empty, shorter than a group of eight, group edges, a block.
  static let counts = [0, 1, 7, 8, 9, 63, 64, 65, 1000, 16384]

  static func mask(_ width: Int) -> UInt64 { width >= 64 ? .max : (1 << UInt64(width)) - 1 }

  /// Random values below `1 << width`, the top value included.
  static func randomValues(_ n: Int, width: Int, rng: inout SplitMix) -> [UInt64] {
    var v = (0..<n).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) & mask(width) }
    if n > 2 { v[n / 2] = mask(width) }
    return v
  }

  /// `pack` then both unpackers (wide with a base, and narrowing to each integer type)
  /// reproduce the values, for every stored width and odd lengths.
  /// The lane-split bounds loop agrees with `min()`/`max()` for every length up to a few
  /// lanes' worth and with the extremes at every position.
  @Test func boundsEveryLengthAndPosition() {
    var rng = SplitMix(seed: 3)
    for n in Array(1...19) + [1000] {
      for _ in 0..<8 {
        var a = (0..<n).map { _ in UInt64.random(in: 1000...2000, using: &rng) }
        a[Int.random(in: 0..<n, using: &rng)] = 5
        a[Int.random(in: 0..<n, using: &rng)] = 9999
        let b = a.withUnsafeBufferPointer { ZoneMap.bounds($0) }
        #expect(b.0 == a.min()! && b.1 == a.max()!, "n \(n)")
      }
    }
  }

  @Test(arguments: Array(0...56) + [64])
  func packUnpackEveryWidth(width: Int) {
    var rng = SplitMix(seed: UInt64(width) + 100)
    for n in Self.counts {
      let values = Self.randomValues(n, width: width, rng: &rng)
      var w = ByteWriter()
      values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &w) }
      #expect(w.bytes.count == BitPacking.packedSize(count: n, width: width))
      if width < 64 {
        // Padding: the eight bytes after the packed bits are zero.
        #expect(w.bytes.suffix(8).allSatisfy { $0 == 0 })
      }
      let base: UInt64 = 0x1234_5678_9ABC
      var wide = [UInt64](repeating: 7, count: n)
      w.bytes.withUnsafeBytes { raw in
        wide.withUnsafeMutableBufferPointer { out in
          guard let dst = out.baseAddress else { return }
          BitPacking.unpack(raw.baseAddress!, count: n, width: width, base: base, into: dst)
        }
      }
      #expect(wide == values.map { $0 &+ base }, "width \(width) count \(n)")
      if width >= 1 && width <= 56 {
        var narrow = [UInt8](repeating: 0, count: n)
        w.bytes.withUnsafeBytes { raw in
          narrow.withUnsafeMutableBufferPointer { out in
            guard let dst = out.baseAddress else { return }
            BitPacking.unpack(raw.baseAddress!, count: n, width: width, into: dst) {
              UInt8(truncatingIfNeeded: $0)
            }
          }
        }
        #expect(narrow == values.map { UInt8(truncatingIfNeeded: $0) }, "width \(width) n \(n)")
      }
    }
  }

  /// Value shapes that steer the encoder to each kind.
  enum Shape: CaseIterable {
    case random, constant, sorted, lowCardinality, outliers, runs
  }

  static func values(_ shape: Shape, n: Int, width: Int, rng: inout SplitMix) -> [UInt64] {
    let m = mask(width)
    switch shape {
    case .random: return randomValues(n, width: width, rng: &rng)
    case .constant: return [UInt64](repeating: m, count: n)
    case .sorted:
      var x = UInt64.random(in: 0...m, using: &rng) / 2
      return (0..<n).map { _ in
        x = min(m, x &+ UInt64.random(in: 0...3, using: &rng))
        return x
      }
    case .lowCardinality:
      let pool = (0..<5).map { _ in UInt64.random(in: 0...m, using: &rng) } + [m, 0]
      return (0..<n).map { _ in pool.randomElement(using: &rng)! }
    case .outliers:
      return (0..<n).map { _ in
        Int.random(in: 0..<50, using: &rng) == 0
          ? UInt64.random(in: 0...m, using: &rng) : UInt64.random(in: 0...min(m, 15), using: &rng)
      }
    case .runs:
      var out: [UInt64] = []
      while out.count < n {
        let v = UInt64.random(in: 0...m, using: &rng)
        out += repeatElement(v, count: min(n - out.count, Int.random(in: 1...40, using: &rng)))
      }
      return out
    }
  }

  /// Decodes `bytes` as one integer stream of `n` values into `T` through the narrowing decoder.
  static func decode<T: FixedWidthInteger>(_ bytes: [UInt8], n: Int, as: T.Type) throws -> [T] {
    var out = [T](repeating: 0, count: n)
    try bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      try out.withUnsafeMutableBufferPointer { p in
        try IntegerCodec.decode(&r, count: n, narrowingInto: p.baseAddress!)
      }
      #expect(r.remaining == 0)
    }
    return out
  }

  /// The stream `bytes` decodes to `values` into u64, and truncated into u32, u16 and u8.
  static func expectNarrowDecoders(_ bytes: [UInt8], _ values: [UInt64], _ what: String) throws {
    let n = values.count
    #expect(try decode(bytes, n: n, as: UInt64.self) == values, "\(what)")
    #expect(
      try decode(bytes, n: n, as: UInt32.self) == values.map { UInt32(truncatingIfNeeded: $0) },
      "\(what)")
    #expect(
      try decode(bytes, n: n, as: UInt16.self) == values.map { UInt16(truncatingIfNeeded: $0) },
      "\(what)")
    #expect(
      try decode(bytes, n: n, as: UInt8.self) == values.map { UInt8(truncatingIfNeeded: $0) },
      "\(what)")
  }

  /// Every shape at every width round-trips through the wide decoder and the u8, u16 and u32
  /// narrowing decoders; across the cases every encoding kind is used.
  @Test func integerStreamsEveryWidthAndShape() throws {
    var rng = SplitMix(seed: 42)
    var kinds = Set<UInt8>()
    for width in Self.widths {
      for shape in Shape.allCases {
        for n in [1, 7, 9, 64, 1000, 16384] {
          let values = Self.values(shape, n: n, width: width, rng: &rng)
          var w = ByteWriter()
          IntegerCodec.encode(values, into: &w)
          kinds.insert(w.bytes[0])
          var wide = [UInt64](repeating: 0, count: n)
          try w.bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            try wide.withUnsafeMutableBufferPointer { p in
              try IntegerCodec.decode(&r, count: n, into: p.baseAddress!)
            }
            #expect(r.remaining == 0)
          }
          #expect(wide == values, "width \(width) \(shape) n \(n)")
          try Self.expectNarrowDecoders(w.bytes, values, "width \(width) \(shape) n \(n)")
        }
      }
    }
    #expect(kinds == [0, 1, 2, 3])
  }

  /// Dictionaries of 2 to 256 entries (code widths 1 to 8, the lookup kernel's byte path
  /// included) decode into every integer type, at lengths around the group of eight; runs with
  /// more distinct values round-trip through whichever kind the encoder picks.
  @Test func dictionaryEveryCodeWidth() throws {
    var rng = SplitMix(seed: 31)
    for entries in [2, 3, 4, 5, 9, 17, 33, 65, 129, 200, 257, 513, 1025, 2049, 4096] {
      let pool = (0..<entries).map { UInt64($0) &* 0x9E37_79B9 &+ 1_000_003 }
      for n in [entries, entries + 7, 8 * entries + 9] {
        var values = (0..<n).map { _ in pool.randomElement(using: &rng)! }
        values[0..<entries] = pool[...]  // every entry occurs
        var w = ByteWriter()
        IntegerCodec.encode(values, into: &w)
        if n == 8 * entries + 9 && entries <= 256 {
          // Long enough for the dictionary to pay, and few enough values in the first 512.
          #expect(w.bytes[0] == IntegerCodec.Kind.dictionary.rawValue, "\(entries) entries")
        }
        try Self.expectNarrowDecoders(w.bytes, values, "\(entries) entries, n \(n)")
      }
    }
  }

  /// The dictionary guess counts the first 512 values' distinct values by linear counting: well
  /// under 256 it says yes, well over it says no, whatever the values' spread.
  @Test func dictionaryGuessCountsTheSample() {
    var rng = SplitMix(seed: 53)
    for distinct in [1, 2, 50, 150, 200, 320, 400, 512] {
      for spread in [UInt64(1), 0x9E37_79B9, 1 << 40] {
        let base = UInt64.random(in: 0...(1 << 20), using: &rng)
        let pool = (0..<distinct).map { base &+ UInt64($0) &* spread }
        var values = (0..<16_384).map { _ in pool.randomElement(using: &rng)! }
        values[0..<distinct] = pool[...]  // every one in the sample
        values[distinct..<512].shuffle(using: &rng)
        let guess = values.withUnsafeBufferPointer {
          IntegerCodec.sampleDistinct($0) <= IntegerCodec.sampleDistinctLimit
        }
        #expect(guess == (distinct <= 200), "\(distinct) distinct, spread \(spread)")
      }
    }
  }

  /// Plans come from a sample of large runs; values the sample missed (here outliers on a
  /// period that dodges it, or a block that is constant except off the sample) still
  /// round-trip, as exceptions.
  @Test func valuesTheSampleMisses() throws {
    for n in [4097, 5000, 16384, 100_000] {
      for period in [2, 3, 8, 9, 17] {
        for phase in [0, 1] {
          let values = (0..<n).map { i -> UInt64 in
            i % period == phase ? 1 << 40 | UInt64(i) : 5 + UInt64(i & 3)
          }
          let sparse = (0..<n).map { i -> UInt64 in i % period == phase ? 7 : 0 }
          for v in [values, sparse] {
            var w = ByteWriter()
            IntegerCodec.encode(v, into: &w)
            #expect(try Self.decode(w.bytes, n: n, as: UInt64.self) == v, "n \(n) period \(period)")
          }
        }
      }
    }
  }

  /// Dictionary entries come out of the hash map in first-seen order with each row's code, and
  /// stop at the limit.
  @Test func dictionaryEntriesFirstSeen() {
    var rng = SplitMix(seed: 12)
    // An empty limit over one distinct value.
    var one = [UInt32](repeating: 0, count: 3)
    #expect(
      [UInt64](repeating: 1 << 40, count: 3).withUnsafeBufferPointer { v in
        one.withUnsafeMutableBufferPointer {
          IntegerSet.distinct(v, limit: 0, codes: $0.baseAddress!)
        }
      } == nil)
    for spread in [UInt64(1), 200, 65535, 65536, 1 << 40] {
      for distinct in [1, 2, 50, 300] {
        let pool = (0..<distinct).map { _ in 1000 + UInt64.random(in: 0..<spread, using: &rng) }
        let values = (0..<5000).map { _ in pool.randomElement(using: &rng)! }
        var firstSeen: [UInt64] = []
        for v in values where !firstSeen.contains(v) { firstSeen.append(v) }
        var codes = [UInt32](repeating: 0, count: values.count)
        for limit in [firstSeen.count, firstSeen.count - 1] {
          let entries = values.withUnsafeBufferPointer { v in
            codes.withUnsafeMutableBufferPointer {
              IntegerSet.distinct(v, limit: limit, codes: $0.baseAddress!)?.values
            }
          }
          if limit < firstSeen.count {
            #expect(entries == nil)
          } else {
            #expect(entries == firstSeen)
            #expect(codes.map { Int($0) } == values.map { firstSeen.firstIndex(of: $0)! })
          }
        }
      }
    }
  }

  /// A dictionary built through the presence bitmap (spans up to `denseRange`) is byte for byte
  /// the one built through the hash map and rank sort, and it is refused past the entry limit
  /// or when it would not be cheaper.
  @Test func denseDictionaryMatchesHashedOne() throws {
    var rng = SplitMix(seed: 31)
    for span in [UInt64(2), 7, 300, 4097, 65535] {
      for distinct in [2, 3, 40, 1000, 4096] where UInt64(distinct) <= span + 1 {
        var pool = Set<UInt64>()
        while pool.count < distinct { pool.insert(UInt64.random(in: 0...span, using: &rng)) }
        let base = UInt64.random(in: 0...(1 << 40), using: &rng)
        let list = pool.map { base + $0 }
        let n = 16_384
        let values = (0..<n).map { _ in list.randomElement(using: &rng)! }
        let (lo, hi) = (values.min()!, values.max()!)
        var codes = [UInt32](repeating: 0, count: n)
        let entries = values.withUnsafeBufferPointer { v in
          codes.withUnsafeMutableBufferPointer {
            IntegerSet.distinct(v, limit: IntegerCodec.maxDictionary, codes: $0.baseAddress!)!
              .values
          }
        }
        var reference = ByteWriter()
        reference.u8(IntegerCodec.Kind.dictionary.rawValue)
        IntegerCodec.writeDictionary(entries, codes: codes, into: &reference)
        let cost = IntegerCodec.dictionaryCost(count: n, entries: entries.count)
        for (limit, best, wanted) in [
          (entries.count, cost + 1, true), (entries.count - 1, cost + 1, false),
          (entries.count, cost, false),
        ] {
          var w = ByteWriter()
          let written = values.withUnsafeBufferPointer {
            IntegerCodec.writeDenseDictionary(
              $0, lo: lo, hi: hi, limit: limit, best: best, into: &w)
          }
          #expect(written == wanted, "span \(span) distinct \(distinct) limit \(limit)")
          #expect(w.bytes == (wanted ? reference.bytes : []), "span \(span) distinct \(distinct)")
        }
        #expect(try Self.decode(reference.bytes, n: n, as: UInt64.self) == values)
      }
    }
  }

  /// 8- and 16-bit columns encoded from their own width decode to the values, with the general
  /// encoder's bounds, and take no more bytes than it does (by 1 % slack for its plan's
  /// sampling) on shapes where it would not pick the delta encoding.
  @Test func smallValuesMatchGeneralEncoder() throws {
    var rng = SplitMix(seed: 47)
    func shapes(top: UInt64) -> [(String, [UInt64])] {
      let n = 16_384
      let few = (0..<7).map { _ in UInt64.random(in: 0...top, using: &rng) }
      return [
        ("one row", [UInt64.random(in: 0...top, using: &rng)]),
        ("constant", [UInt64](repeating: top / 3, count: n)),
        ("two values", (0..<n).map { _ in Bool.random(using: &rng) ? 6 : 17 }),
        ("seven values", (0..<n).map { _ in few.randomElement(using: &rng)! }),
        ("full range", (0..<n).map { _ in UInt64.random(in: 0...top, using: &rng) }),
        (
          "small with outliers",
          (0..<n).map { i in i % 997 == 0 ? top : UInt64.random(in: 0...5, using: &rng) }
        ),
        ("4,097 distinct", (0..<n).map { i in UInt64(i % 4097) & top }.shuffled(using: &rng)),
        ("4,096 distinct", (0..<n).map { i in UInt64(i % 4096) & top }.shuffled(using: &rng)),
        ("top only", [top, top - 1, top]),
      ]
    }
    func check<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws {
      for (what, wide) in shapes(top: UInt64(T.max)) {
        let narrow = wide.map { T(truncatingIfNeeded: $0) }
        var small = ByteWriter()
        let bounds = narrow.withUnsafeBufferPointer { IntegerCodec.encodeSmall($0, into: &small) }
        var general = ByteWriter()
        let reference = IntegerCodec.encode(wide, into: &general)
        #expect(bounds == reference, "\(T.self) \(what)")
        #expect(
          try Self.decode(small.bytes, n: wide.count, as: T.self) == narrow, "\(T.self) \(what)")
        #expect(
          small.bytes.count <= general.bytes.count + general.bytes.count / 100 + 16,
          "\(T.self) \(what): \(small.bytes.count) bytes against \(general.bytes.count)")
      }
    }
    try check(UInt8.self)
    try check(UInt16.self)
  }

  /// A dictionary stream whose codes point past the dictionary does not decode (table path and
  /// exception path).
  @Test func dictionaryCodeOutOfRange() throws {
    func stream(code: UInt64, asException: Bool, at slot: Int = 2, count: Int = 4) -> [UInt8] {
      var w = ByteWriter()
      w.u8(IntegerCodec.Kind.dictionary.rawValue)
      w.u32(2)
      IntegerCodec.encode([10, 20], into: &w, allowDictionary: false)
      var codes = (0..<count).map { UInt64($0 & 1) }
      codes[slot] = asException ? 0 : code
      w.u64(0)  // base
      w.u8(2)  // width
      codes.withUnsafeBufferPointer { BitPacking.pack($0, width: 2, into: &w) }
      if asException {
        w.u32(1)
        w.u32(UInt32(slot))
        w.u64(code)
      } else {
        w.u32(0)
      }
      return w.bytes
    }
    // A bad code in a whole packed byte and in the last, partial one (u8's byte-table path),
    // and through the general kernels (u16, 12 values).
    for (slot, count) in [(0, 5), (3, 5), (4, 5), (11, 12)] {
      for type in [UInt8.self, UInt16.self] as [any FixedWidthInteger.Type] {
        #expect(throws: ByteReader.Truncated.self, "slot \(slot) of \(count), \(type)") {
          let bytes = stream(code: 3, asException: false, at: slot, count: count)
          if type == UInt8.self {
            _ = try Self.decode(bytes, n: count, as: UInt8.self)
          } else {
            _ = try Self.decode(bytes, n: count, as: UInt16.self)
          }
        }
      }
    }
    #expect(
      try Self.decode(stream(code: 1, asException: false), n: 4, as: UInt8.self) == [
        10, 20, 20, 20,
      ])
    #expect(
      try Self.decode(stream(code: 1, asException: true), n: 4, as: UInt16.self) == [
        10, 20, 20, 20,
      ])
    #expect(throws: ByteReader.Truncated.self) {
      _ = try Self.decode(stream(code: 2, asException: false), n: 4, as: UInt8.self)
    }
    #expect(throws: ByteReader.Truncated.self) {
      _ = try Self.decode(stream(code: 3, asException: true), n: 4, as: UInt64.self)
    }
  }

  /// Integer chunks of every type, with and without NULL bitmaps, round-trip through
  /// `ColumnCodec` (the u8/u16/u32 fast paths included).
  @Test func integerChunksWithNulls() throws {
    var rng = SplitMix(seed: 9)
    for n in [1, 9, 100, 16384] {
      for shape in Shape.allCases {
        for nullRate in [0.0, 0.3, 1.0] {
          var validity: Bitmap? = nil
          if nullRate > 0 {
            var b = Bitmap(count: n, value: true)
            for i in 0..<n where Double.random(in: 0..<1, using: &rng) < nullRate { b[i] = false }
            validity = b
          }
          let raw = Self.values(shape, n: n, width: 64, rng: &rng)
          let vectors: [ColumnValues] = [
            .uint8(raw.map { UInt8(truncatingIfNeeded: $0 % 7 == 0 ? $0 : $0 & 0x1F) }),
            .uint16(raw.map { UInt16(truncatingIfNeeded: $0) }),
            .uint32(raw.map { UInt32(truncatingIfNeeded: $0 >> 7) }),
            .uint64(raw),
            .timestamp(raw.map { Int64(bitPattern: $0) }),
          ]
          for values in vectors {
            let c = ColumnVector(values, validity: validity)
            let bytes = ColumnCodec.encode(c, reference: nil)
            let back = try bytes.withUnsafeBytes {
              try ColumnCodec.decode($0, type: c.type, count: n, reference: { nil })
            }
            for r in 0..<n where cell(back, r) != cell(c, r) {
              Issue.record("\(c.type) \(shape) nulls \(nullRate) n \(n) row \(r)")
              break
            }
          }
        }
      }
    }
  }
}
