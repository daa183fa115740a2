/// Encodes one column of one block (a "chunk") to bytes and back. See `docs/FORMAT.md`.
///
/// Layout: flags u8 (bit 0: a validity bitmap follows), the bitmap (`ceil(n/8)` bytes, bit i of
/// byte i/8 set when row i is present), mode u8 (0 plain; 1 stored as the difference from the
/// block's `time` column), then the values by type:
/// - integers and timestamps: ``IntegerCodec`` (timestamps with the sign bit flipped so that
///   unsigned order is numeric order);
/// - addresses: family u8 (4: all IPv4, one integer stream of the 32-bit values; 6: two streams,
///   the high and low 64 bits);
/// - strings: a dictionary: count u32, each entry as varint length + UTF-8, then the codes as an
///   integer stream.
enum ColumnCodec {
  static let signBit: UInt64 = 1 << 63

  /// Encodes `vector`. `reference`, when given, is the block's `time` column, against which a
  /// timestamp column may be stored as differences.
  static func encode(_ vector: ColumnVector, reference: [Int64]?) -> [UInt8] {
    encode(vector, rows: 0..<vector.count, reference: reference.map { $0[...] })
  }

  /// Encodes rows `rows` of `vector` (no copy of the slice is made).
  static func encode(_ vector: ColumnVector, rows: Range<Int>, reference: ArraySlice<Int64>?)
    -> [UInt8]
  {
    let buffers = ChunkBuffers()
    encode(vector, rows: rows, reference: reference, into: buffers)
    return buffers.chunk.bytes
  }

  /// Encodes rows `rows` of `vector` into `buffers.chunk` (cleared first), using the other
  /// scratch buffers of `buffers` instead of allocating.
  ///
  /// Returns the bounds of the present values when the encoding saw them whole (one integer
  /// stream of the plain values: integers, IPv4 addresses, timestamps not stored as
  /// differences), so that the block's zone map needs no pass of its own; nil otherwise.
  @discardableResult
  static func encode(
    _ vector: ColumnVector, rows: Range<Int>, reference: ArraySlice<Int64>?,
    into buffers: ChunkBuffers
  ) -> ZoneMap.Bounds? {
    var w = ByteWriter()
    swap(&w, &buffers.chunk)
    defer { swap(&w, &buffers.chunk) }
    w.bytes.removeAll(keepingCapacity: true)
    let n = rows.count
    let lower = rows.lowerBound
    let validity = vector.validity.flatMap { v in
      rows.allSatisfy { v[$0] } ? nil : v
    }
    if let v = validity {
      w.u8(1)
      var bytes = [UInt8](repeating: 0, count: (n + 7) / 8)
      for i in 0..<n where v[lower + i] { bytes[i >> 3] |= 1 << UInt8(i & 7) }
      w.append(bytes)
    } else {
      w.u8(0)
    }
    let valid = validity.map { v in { (i: Int) in v[lower + i] } } ?? { _ in true }
    // One u64 scratch vector serves every integer stream of the chunk.
    var scratch: [UInt64] = []
    swap(&scratch, &buffers.wide)
    defer { swap(&scratch, &buffers.wide) }
    ChunkBuffers.resize(&scratch, to: n)
    // NULL rows are widened to a present value, so the stream's bounds are the present ones.
    @discardableResult
    func ints<T: Equatable>(_ all: [T], _ map: (T) -> UInt64) -> (lo: UInt64, hi: UInt64) {
      all.withUnsafeBufferPointer { ints(UnsafeBufferPointer(rebasing: $0[rows]), map) }
    }
    @discardableResult
    func ints<T: Equatable>(
      _ a: UnsafeBufferPointer<T>, _ map: (T) -> UInt64
    ) -> (lo: UInt64, hi: UInt64) {
      // A run of one value (an exporter, a domain, a sampling rate) is found with one compare
      // a row, without widening it or gathering statistics.
      if validity == nil, let v = ColumnCodec.single(a) {
        IntegerCodec.writeConstant(map(v), into: &w)
        return (map(v), map(v))
      }
      return scratch.withUnsafeMutableBufferPointer { out in
        if let v = validity {
          ColumnCodec.widen(a, validity: v, from: lower, into: out, map)
          return IntegerCodec.encode(UnsafeBufferPointer(out), into: &w)
        }
        let bounds = ColumnCodec.widen(a, into: out, map)
        return IntegerCodec.encode(UnsafeBufferPointer(out), bounds: bounds, into: &w)
      }
    }
    // 8- and 16-bit values without NULLs are encoded from their own width.
    func small<T: FixedWidthInteger & UnsignedInteger>(_ all: [T]) -> (lo: UInt64, hi: UInt64) {
      all.withUnsafeBufferPointer {
        IntegerCodec.encodeSmall(UnsafeBufferPointer(rebasing: $0[rows]), into: &w)
      }
    }
    switch vector.values {
    case .uint8(let a):
      w.u8(0)
      let b = validity == nil ? small(a) : ints(a) { UInt64($0) }
      return .unsigned(min: b.lo, max: b.hi)
    case .uint16(let a):
      w.u8(0)
      let b = validity == nil ? small(a) : ints(a) { UInt64($0) }
      return .unsigned(min: b.lo, max: b.hi)
    case .uint32(let a):
      w.u8(0)
      let b = ints(a) { UInt64($0) }
      return .unsigned(min: b.lo, max: b.hi)
    case .uint64(let a):
      w.u8(0)
      if validity == nil {
        // Already 64-bit: encoded where they lie, without a widened copy.
        let b = a.withUnsafeBufferPointer { p in
          let v = UnsafeBufferPointer(rebasing: p[rows])
          if let x = ColumnCodec.single(v) {
            IntegerCodec.writeConstant(x, into: &w)
            return (lo: x, hi: x)
          }
          return IntegerCodec.encode(v, into: &w)
        }
        return .unsigned(min: b.lo, max: b.hi)
      }
      let b = ints(a) { $0 }
      return .unsigned(min: b.lo, max: b.hi)
    case .timestamp(let a):
      if let ref = reference, ref.count == n {
        w.u8(1)
        let r0 = ref.startIndex
        var diffs: [Int64] = []
        swap(&diffs, &buffers.diffs)
        defer { swap(&diffs, &buffers.diffs) }
        ChunkBuffers.resize(&diffs, to: n)
        diffs.withUnsafeMutableBufferPointer { d in
          for i in 0..<n { d[i] = a[lower + i] &- ref[r0 + i] }
        }
        _ = diffs.withUnsafeBufferPointer { ints($0) { UInt64(bitPattern: $0) ^ signBit } }
        return nil
      } else {
        w.u8(0)
        let b = ints(a) { UInt64(bitPattern: $0) ^ signBit }
        return .signed(
          min: Int64(bitPattern: b.lo ^ signBit), max: Int64(bitPattern: b.hi ^ signBit))
      }
    case .ip(let a):
      w.u8(0)
      // Without NULLs, one pass both narrows the addresses and checks that all are IPv4.
      if validity == nil,
        let v = a.withUnsafeBufferPointer({ single(UnsafeBufferPointer(rebasing: $0[rows])) }),
        v.isV4
      {
        w.u8(4)
        IntegerCodec.writeConstant(v.low & 0xFFFF_FFFF, into: &w)
        return .ip(min: v, max: v)
      }
      if validity == nil, let bounds = narrowV4(a, rows: rows, into: &scratch) {
        w.u8(4)
        let b = scratch.withUnsafeBufferPointer {
          IntegerCodec.encode($0, bounds: bounds, into: &w)
        }
        return .ip(min: IPAddress(v4: UInt32(b.lo)), max: IPAddress(v4: UInt32(b.hi)))
      }
      if let v = validity, allV4(a, rows: rows, validity: v) {
        w.u8(4)
        let b = ints(a) { $0.isV4 ? UInt64($0.low & 0xFFFF_FFFF) : 0 }
        return .ip(min: IPAddress(v4: UInt32(b.lo)), max: IPAddress(v4: UInt32(b.hi)))
      } else {
        w.u8(6)
        ints(a) { $0.high }
        ints(a) { $0.low }
        return nil
      }
    case .string(let a):
      w.u8(0)
      var index: [String: UInt64] = [:]
      var entries: [String] = []
      var codes = [UInt64](repeating: 0, count: n)
      for i in 0..<n where valid(i) {
        let s = a[lower + i]
        if let c = index[s] {
          codes[i] = c
        } else {
          let c = UInt64(entries.count)
          index[s] = c
          entries.append(s)
          codes[i] = c
        }
      }
      w.u32(UInt32(entries.count))
      for e in entries { w.string(e) }
      IntegerCodec.encode(codes, into: &w, allowDictionary: false)
      return ZoneMap.Bounds.none
    }
  }

  /// The value every element of `a` (non-empty) holds, or nil; stops at the first that differs.
  @inline(__always)
  static func single<T: Equatable>(_ a: UnsafeBufferPointer<T>) -> T? {
    let first = a[0]
    for x in a where x != first { return nil }
    return first
  }

  /// Stores the 32-bit values of the addresses of `a` at `rows` in `out` (sized to the rows);
  /// returns their bounds when every one is IPv4 (v4-mapped), else nil (`out` then holds no
  /// meaning).
  static func narrowV4(_ a: [IPAddress], rows: Range<Int>, into out: inout [UInt64]) -> (
    lo: UInt64, hi: UInt64
  )? {
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        var lo = UInt64.max
        var hi = UInt64.min
        let all = IPAddress.narrowV4(UnsafeBufferPointer(rebasing: p[rows])) { i, v in
          let x = UInt64(v)
          o[i] = x
          lo = Swift.min(lo, x)
          hi = Swift.max(hi, x)
        }
        return all ? (lo, hi) : nil
      }
    }
  }

  /// Widens the values of a chunk without NULLs into `out`; returns their bounds (`a` is not
  /// empty). Two running minima and maxima halve the chain of dependent compares.
  @inline(__always)
  static func widen<T>(
    _ a: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<UInt64>,
    _ map: (T) -> UInt64
  ) -> (lo: UInt64, hi: UInt64) {
    let n = a.count
    var lo0 = map(a[0])
    var hi0 = lo0
    var lo1 = lo0
    var hi1 = lo0
    var i = 0
    while i + 2 <= n {
      let x = map(a[i])
      let y = map(a[i + 1])
      out[i] = x
      out[i + 1] = y
      lo0 = Swift.min(lo0, x)
      hi0 = Swift.max(hi0, x)
      lo1 = Swift.min(lo1, y)
      hi1 = Swift.max(hi1, y)
      i += 2
    }
    if i < n {
      let x = map(a[i])
      out[i] = x
      lo0 = Swift.min(lo0, x)
      hi0 = Swift.max(hi0, x)
    }
    return (Swift.min(lo0, lo1), Swift.max(hi0, hi1))
  }

  /// True when every present address of `a` at `rows` (NULL where `validity` says so) is IPv4.
  static func allV4(_ a: [IPAddress], rows: Range<Int>, validity v: Bitmap) -> Bool {
    a.withUnsafeBufferPointer { p in
      for i in rows where v[i] && !p[i].isV4 { return false }
      return true
    }
  }

  /// Widens the values of a chunk with NULLs into `out`: NULL rows take the first present value
  /// (so they do not widen the encoding). `a` starts at row `lower` of the column, whose
  /// validity is `v`.
  @inline(__always)
  static func widen<T>(
    _ a: UnsafeBufferPointer<T>, validity v: Bitmap, from lower: Int,
    into out: UnsafeMutableBufferPointer<UInt64>, _ map: (T) -> UInt64
  ) {
    let n = out.count
    var fill: UInt64 = 0
    for i in 0..<n where v[lower + i] {
      fill = map(a[i])
      break
    }
    for i in 0..<n { out[i] = v[lower + i] ? map(a[i]) : fill }
  }
}
