import Storage

/// count(DISTINCT x), exact: one open-addressing set of (group, value) pairs for all groups, the
/// value as two words (an address's halves, an integer or float's bits, a string's interned id),
/// and a count per group that grows when a pair is new. 24 bytes a slot, at most half full.
final class DistinctState: AggregateState {
  let type: DataType
  private var counts: [Int64] = []
  /// Slots of three words: group + 1 (0: empty), high, low.
  private var slots = [UInt64](repeating: 0, count: 3 << 10)
  private var shift: UInt64 = 54
  private var used = 0
  private var strings = StringInterner()
  private var ids: [Int32] = []

  init(type: DataType) { self.type = type }
  func resize(_ n: Int) { grow(&counts, to: n, with: 0) }

  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?) {
    guard let arg else { return }
    switch arg.data {
    case .ip(let a):
      forEachValid(sel, arg.valid) { j, i in insert(gids[j], a[i].high, a[i].low) }
    case .v4(let a):
      forEachValid(sel, arg.valid) { j, i in
        insert(gids[j], 0, 0x0000_FFFF_0000_0000 | UInt64(a[i]))
      }
    case .string(let a):
      strings.ids(a, arg.valid, sel, into: &ids)
      for j in 0..<sel.count where ids[j] >= 0 { insert(gids[j], 0, UInt64(ids[j])) }
    case .codes(let codes, let entries):
      strings.ids(codes: codes, entries: entries, arg.valid, sel, into: &ids)
      for j in 0..<sel.count where ids[j] >= 0 { insert(gids[j], 0, UInt64(ids[j])) }
    case .float(let a):
      forEachValid(sel, arg.valid) { j, i in
        let x = a[i]
        insert(gids[j], 0, x == 0 ? 0 : x.isNaN ? Double.nan.bitPattern : x.bitPattern)
      }
    default:
      let a = arg.ints()
      forEachValid(sel, arg.valid) { j, i in insert(gids[j], 0, UInt64(bitPattern: a[i])) }
    }
  }

  @inline(__always) private func insert(_ g: Int32, _ high: UInt64, _ low: UInt64) {
    let tag = UInt64(UInt32(bitPattern: g)) + 1
    let fresh: Bool = slots.withUnsafeMutableBufferPointer { s in
      let mask = s.count / 3 - 1
      let x = mix64(low ^ (high &* 0x9E37_79B9_7F4A_7C15)) ^ (tag &* 0xC2B2_AE3D_27D4_EB4F)
      var h = Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while true {
        let t = s[3 * h]
        if t == 0 {
          s[3 * h] = tag
          s[3 * h + 1] = high
          s[3 * h + 2] = low
          return true
        }
        if t == tag && s[3 * h + 1] == high && s[3 * h + 2] == low { return false }
        h = (h + 1) & mask
      }
    }
    guard fresh else { return }
    counts[Int(g)] += 1
    used += 1
    if 2 * used > slots.count / 3 { rehash() }
  }

  private func rehash() {
    let old = slots
    slots = [UInt64](repeating: 0, count: old.count * 2)
    shift -= 1
    used = 0
    for k in Swift.stride(from: 0, to: old.count, by: 3) where old[k] != 0 {
      let g = Int32(truncatingIfNeeded: old[k] - 1)
      counts[Int(g)] -= 1
      insert(g, old[k + 1], old[k + 2])
    }
  }

  func merge(_ other: any AggregateState, _ map: [Int32]) {
    let o = other as! DistinctState
    // The other state's string ids are its own: translate them through the strings.
    let translate = o.strings.strings.map { strings.id($0) }
    for k in Swift.stride(from: 0, to: o.slots.count, by: 3) where o.slots[k] != 0 {
      let g = map[Int(o.slots[k] - 1)]
      let low = type == .string ? UInt64(translate[Int(o.slots[k + 2])]) : o.slots[k + 2]
      insert(g, o.slots[k + 1], low)
    }
  }

  func value(_ g: Int) -> Value { .int(g < counts.count ? counts[g] : 0) }
  var memoryBytes: Int { 8 * slots.capacity + 8 * counts.capacity }
  func integerValues() -> (values: [Int64], present: [Bool])? {
    (counts, [Bool](repeating: true, count: counts.count))
  }
}
