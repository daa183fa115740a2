/// A fixed-length bit set, one bit per row: the validity bitmap of a column (1 = present).
public struct Bitmap: Sendable, Hashable {
  /// The words, bit `i` at `words[i >> 6] >> (i & 63)`.
  public var words: [UInt64]
  /// The number of bits.
  public private(set) var count: Int

  /// Creates a bitmap of `count` bits, all set to `value`.
  public init(count: Int, value: Bool) {
    self.count = count
    let n = (count + 63) >> 6
    words = [UInt64](repeating: value ? ~0 : 0, count: n)
    if value, count & 63 != 0 { words[n - 1] = (1 << UInt64(count & 63)) - 1 }
  }

  /// Creates a bitmap from words (bits past `count` must be zero).
  public init(words: [UInt64], count: Int) {
    self.words = words
    self.count = count
  }

  /// Creates a bitmap of `count` bits from bytes holding bit `i` at `bytes[i >> 3] >> (i & 7)`
  /// (bits past `count` are ignored).
  public init(littleEndianBytes bytes: some Collection<UInt8>, count: Int) {
    let n = (count + 63) >> 6
    var words = [UInt64](repeating: 0, count: n)
    var k = 0
    for b in bytes.prefix((count + 7) >> 3) {
      words[k >> 3] |= UInt64(b) << UInt64((k & 7) * 8)
      k += 1
    }
    if count & 63 != 0, n > 0 { words[n - 1] &= (1 << UInt64(count & 63)) - 1 }
    self.init(words: words, count: count)
  }

  /// Bits `range` as one Bool each.
  public func bools(_ range: Range<Int>) -> [Bool] {
    [Bool](unsafeUninitializedCapacity: range.count) { out, n in
      words.withUnsafeBufferPointer { w in
        var i = range.lowerBound
        var k = 0
        while i < range.upperBound {
          let word = w[i >> 6]
          let left = min(64 - (i & 63), range.upperBound - i)
          if word == 0 || word == ~0 {
            // A whole run of one value (all NULL, or none).
            (out.baseAddress! + k).initialize(repeating: word != 0, count: left)
          } else if i & 63 == 0 && left == 64 {
            // Eight bits at a time: each byte of the word becomes eight Bools in one store.
            let raw = UnsafeMutableRawPointer(out.baseAddress! + k)
            for byte in 0..<8 {
              let bits = Int(truncatingIfNeeded: word >> UInt64(8 * byte)) & 0xFF
              raw.storeBytes(of: bitmapByteSpread[bits], toByteOffset: 8 * byte, as: UInt64.self)
            }
          } else {
            for b in 0..<left { out[k + b] = word >> UInt64((i & 63) + b) & 1 != 0 }
          }
          i += left
          k += left
        }
      }
      n = range.count
    }
  }

  /// Reads or writes bit `i`.
  @inlinable public subscript(i: Int) -> Bool {
    get { words[i >> 6] >> UInt64(i & 63) & 1 != 0 }
    set {
      if newValue {
        words[i >> 6] |= 1 << UInt64(i & 63)
      } else {
        words[i >> 6] &= ~(1 << UInt64(i & 63))
      }
    }
  }

  /// Appends one bit.
  public mutating func append(_ bit: Bool) {
    if count & 63 == 0 { words.append(0) }
    count += 1
    if bit { self[count - 1] = true }
  }

  /// Appends the bits of `other`, a word at a time (shifted into place when `count` is not a
  /// multiple of 64).
  public mutating func append(contentsOf other: Bitmap) {
    let added = other.words.prefix((other.count + 63) >> 6)
    let shift = UInt64(count & 63)
    if shift == 0 {
      words.append(contentsOf: added)
    } else {
      for w in added {
        words[words.count - 1] |= w << shift
        words.append(w >> (64 - shift))
      }
    }
    count += other.count
    // Bits past `count` are zero in both, so a last word beyond the new length is empty.
    let needed = (count + 63) >> 6
    if words.count > needed { words.removeLast(words.count - needed) }
  }

  /// The number of set bits among `range`, a word at a time.
  public func setCount(in range: Range<Int>) -> Int {
    guard !range.isEmpty else { return 0 }
    let first = range.lowerBound >> 6
    let last = (range.upperBound - 1) >> 6
    // Masks keeping the bits of the first and last words that fall inside the range.
    let head: UInt64 = ~0 << UInt64(range.lowerBound & 63)
    let tailBits = UInt64(range.upperBound & 63)
    let tail: UInt64 = tailBits == 0 ? ~0 : (1 << tailBits) - 1
    if first == last { return (words[first] & head & tail).nonzeroBitCount }
    var n = (words[first] & head).nonzeroBitCount + (words[last] & tail).nonzeroBitCount
    for k in (first + 1)..<last { n += words[k].nonzeroBitCount }
    return n
  }

  /// The number of set bits.
  public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  /// The bits `range` as a new bitmap.
  public func slice(_ range: Range<Int>) -> Bitmap {
    var out = Bitmap(count: 0, value: false)
    out.words.reserveCapacity((range.count + 63) >> 6)
    if range.lowerBound & 63 == 0 {
      let w0 = range.lowerBound >> 6
      out.words = Array(words[w0..<min(words.count, w0 + (range.count + 63) >> 6)])
      out.count = range.count
      if range.count & 63 != 0 {
        out.words[out.words.count - 1] &= (1 << UInt64(range.count & 63)) - 1
      }
      return out
    }
    for i in range { out.append(self[i]) }
    return out
  }

  /// The bits at `rows`, in that order.
  public func picking(_ rows: [Int]) -> Bitmap {
    var b = Bitmap(count: rows.count, value: false)
    for (i, r) in rows.enumerated() where self[r] { b[i] = true }
    return b
  }
}

/// For each byte value, eight bytes of 0 or 1: bit `b` of the byte becomes byte `b`.
let bitmapByteSpread: [UInt64] = (0..<256).map { (v: Int) -> UInt64 in
  var w: UInt64 = 0
  for b in 0..<8 where (v >> b) & 1 != 0 { w |= UInt64(1) << UInt64(8 * b) }
  return w
}
