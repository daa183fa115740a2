/// An open-addressing hash map from `UInt64` to a dense code (insertion order), used to build
/// dictionaries while sealing: a multiplicative hash and linear probing. The table starts small
/// and doubles when half full, so a column with few distinct values never touches a big table.
struct IntegerSet {
  private var keys: [UInt64]
  private var codes: [Int32]
  private var mask: Int
  private var shift: UInt64
  /// The distinct values in insertion order.
  private(set) var values: [UInt64] = []

  /// A map able to hold `capacity` distinct values before it first grows.
  init(capacity: Int) {
    var size = 16
    var bits: UInt64 = 4
    while size < capacity * 2 {
      size <<= 1
      bits += 1
    }
    keys = [UInt64](repeating: 0, count: size)
    codes = [Int32](repeating: -1, count: size)
    mask = size - 1
    shift = 64 - bits
    values.reserveCapacity(capacity)
  }

  /// The slot where probing for `v` starts.
  @inline(__always) private func home(_ v: UInt64) -> Int {
    Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }

  /// The code of `v`, inserting it when new.
  @inline(__always)
  mutating func code(_ v: UInt64) -> Int {
    var i = home(v)
    while true {
      let c = codes[i]
      if c < 0 { return insert(v, at: i) }
      if keys[i] == v { return Int(c) }
      i = (i + 1) & mask
    }
  }

  /// Inserts `v` at the empty slot `i`, doubling the table when it gets half full.
  private mutating func insert(_ v: UInt64, at i: Int) -> Int {
    keys[i] = v
    codes[i] = Int32(values.count)
    values.append(v)
    if values.count * 2 > keys.count { grow() }
    return values.count - 1
  }

  /// Doubles the table and re-inserts every value under its code.
  private mutating func grow() {
    let size = keys.count * 2
    keys = [UInt64](repeating: 0, count: size)
    codes = [Int32](repeating: -1, count: size)
    mask = size - 1
    shift -= 1
    for (c, v) in values.enumerated() {
      var i = home(v)
      while codes[i] >= 0 { i = (i + 1) & mask }
      keys[i] = v
      codes[i] = Int32(c)
    }
  }

  /// The distinct values of `input`, storing each row's code (first-seen order) in `codes`;
  /// nil when there are more than `limit`. The table starts with room for `expected` values
  /// (at most `limit + 1`), so a good guess saves its doublings. A run of equal values is
  /// looked up once.
  static func distinct(
    _ input: UnsafeBufferPointer<UInt64>, limit: Int, codes: UnsafeMutablePointer<UInt32>,
    expected: Int = 64
  ) -> IntegerSet? {
    var set = IntegerSet(capacity: Swift.max(64, Swift.min(expected, limit + 1)))
    guard !input.isEmpty else { return set }
    var last = input[0]
    var lastCode = UInt32(set.code(last))
    if set.values.count > limit { return nil }
    for i in 0..<input.count {
      let v = input[i]
      if v != last {
        last = v
        lastCode = UInt32(truncatingIfNeeded: set.code(v))
        if set.values.count > limit { return nil }
      }
      codes[i] = lastCode
    }
    return set
  }
}
