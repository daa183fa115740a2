/// An open-addressing hash map from `UInt64` to a dense code (insertion order), used to build
/// dictionaries while sealing: a multiplicative hash and linear probing, no per-insert allocation.
struct IntegerSet {
  private var keys: [UInt64]
  private var codes: [Int32]
  private let mask: Int
  private let shift: UInt64
  /// The distinct values in insertion order.
  private(set) var values: [UInt64] = []

  /// A map able to hold `capacity` distinct values.
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

  /// The code of `v`, inserting it when new.
  @inline(__always)
  mutating func code(_ v: UInt64) -> Int {
    var i = Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let c = codes[i]
      if c < 0 {
        keys[i] = v
        codes[i] = Int32(values.count)
        values.append(v)
        return values.count - 1
      }
      if keys[i] == v { return Int(c) }
      i = (i + 1) & mask
    }
  }

  /// The code of `v` when present.
  @inline(__always)
  func find(_ v: UInt64) -> Int? {
    var i = Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let c = codes[i]
      if c < 0 { return nil }
      if keys[i] == v { return Int(c) }
      i = (i + 1) & mask
    }
  }

  /// The distinct values of `values`, or nil when there are more than `limit`.
  static func distinct(_ input: UnsafeBufferPointer<UInt64>, limit: Int) -> IntegerSet? {
    var set = IntegerSet(capacity: limit + 1)
    for v in input {
      _ = set.code(v)
      if set.values.count > limit { return nil }
    }
    return set
  }
}
