/// The integer element columns of one data record while its fields are read (see
/// ``ElementColumns/integers``): a value and the precedence rank of the element that gave it,
/// inline (no allocation per record).
struct RecordIntegers {
  /// The most integer element columns a record holds.
  static let capacity = 32
  private var values = SIMD32<UInt64>()
  /// Per column: 0 when no field has set it, else the rank of the one that did, plus 1.
  private var ranks = SIMD32<UInt8>()

  /// Sets column `k` from a field of precedence `rank`: a field of a better (lower) rank than
  /// the value's wins, and of the same rank too (the template's last such field wins).
  @inline(__always)
  mutating func set(_ k: Int, _ value: UInt64, rank: UInt8) {
    let held = ranks[k]
    if held == 0 || rank < held {
      values[k] = value
      ranks[k] = rank &+ 1
    }
  }

  /// The value of column `k`, or nil when the record has none.
  @inline(__always)
  subscript(_ k: Int) -> UInt64? {
    ranks[k] == 0 ? nil : values[k]
  }
}
