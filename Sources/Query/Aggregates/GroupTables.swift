import Storage

/// Maps group keys to dense group ids. Implementations are specialised by key type: a small
/// integer key indexes an array directly, 64-bit and address keys use open addressing, and
/// anything else falls back to a dictionary of values.
protocol GroupTable: AnyObject {
  /// The number of group ids handed out (states are sized to it).
  var capacity: Int { get }
  /// Group ids for the selected rows, aligned with the selection.
  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32])
  /// The ids of groups that received at least one row.
  func liveGroups() -> [Int]
  /// The key values of group `g`.
  func keyValues(_ g: Int) -> [Value]
  /// Adds `other`'s groups and returns, for each of its ids, the id here.
  func absorb(_ other: any GroupTable) -> [Int32]
}

/// The whole input is one group (aggregates without GROUP BY).
final class SingleGroupTable: GroupTable {
  var seen = false
  var capacity: Int { 1 }
  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    if sel.count > 0 { seen = true }
    gids = [Int32](repeating: 0, count: sel.count)
  }
  func liveGroups() -> [Int] { seen ? [0] : [] }
  func keyValues(_ g: Int) -> [Value] { [] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    if (other as! SingleGroupTable).seen { seen = true }
    return [0]
  }
}

/// A single u8 / u16 key: the key value is the group id; one extra id for NULL. No hashing.
final class DirectGroupTable: GroupTable {
  let bits: Int
  var seen: [Bool]
  var capacity: Int { seen.count }
  var nullGroup: Int { (1 << bits) }

  init(bits: Int) {
    self.bits = bits
    seen = [Bool](repeating: false, count: (1 << bits) + 1)
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let v = keys[0]
    switch v.data {
    case .u8(let a): fill(a, v.valid, sel, &gids)
    case .u16(let a): fill(a, v.valid, sel, &gids)
    default: preconditionFailure("direct table over a wide key")
    }
  }

  @inline(__always) private func fill<T: FixedWidthInteger>(
    _ a: [T], _ valid: [Bool]?, _ sel: Selection, _ gids: inout [Int32]
  ) {
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    let nullId = Int32(nullGroup)
    a.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        seen.withUnsafeMutableBufferPointer { s in
          if valid == nil {
            if sel.all {
              for i in 0..<n {
                let k = Int(p[i])
                g[i] = Int32(k)
                s[k] = true
              }
            } else {
              for (j, i) in sel.indices.enumerated() {
                let k = Int(p[Int(i)])
                g[j] = Int32(k)
                s[k] = true
              }
            }
          } else {
            let rows = sel.rows()
            for (j, i) in rows.enumerated() {
              let r = Int(i)
              let k = valid![r] ? Int32(p[r]) : nullId
              g[j] = k
              s[Int(k)] = true
            }
          }
        }
      }
    }
  }

  func liveGroups() -> [Int] { seen.indices.filter { seen[$0] } }
  func keyValues(_ g: Int) -> [Value] { [g == nullGroup ? .null : .int(Int64(g))] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! DirectGroupTable
    for i in seen.indices where o.seen[i] { seen[i] = true }
    return (0..<Int32(seen.count)).map { $0 }
  }
}

/// Mixes 64 bits into a well-spread hash (the finalizer of MurmurHash3 / splitmix64).
@inline(__always) func mix64(_ x0: UInt64) -> UInt64 {
  var x = x0
  x = (x ^ (x >> 33)) &* 0xff51_afd7_ed55_8ccd
  x = (x ^ (x >> 33)) &* 0xc4ce_b9fe_1a85_ec53
  return x ^ (x >> 33)
}

/// Open-addressing hash core over 128-bit keys (an Int64 key uses `low` only, IPv4 addresses
/// have `high == 0`), Fibonacci hashing, linear probing. Kept in a struct that the tables move
/// into a local variable for a batch, so the probe loop runs without reference-counting or
/// exclusivity checks.
struct HashCore {
  var slots: [Int32]
  var slotHigh: [UInt64]
  var slotLow: [UInt64]
  var shift: UInt64
  var count = 0

  init(bits: Int = 10) {
    slots = [Int32](repeating: -1, count: 1 << bits)
    slotHigh = [UInt64](repeating: 0, count: 1 << bits)
    slotLow = [UInt64](repeating: 0, count: 1 << bits)
    shift = UInt64(64 - bits)
  }

  @inline(__always) func home(_ high: UInt64, _ low: UInt64) -> Int {
    let x = high == 0 ? low : low ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
    return Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The id of the key, or the next id (`count`) newly inserted.
  @inline(__always) mutating func id(_ high: UInt64, _ low: UInt64) -> (Int32, Bool) {
    let mask = slots.count - 1
    var h = home(high, low)
    while true {
      let s = slots[h]
      if s < 0 { break }
      if slotLow[h] == low && slotHigh[h] == high { return (s, false) }
      h = (h + 1) & mask
    }
    let g = Int32(count)
    slots[h] = g
    slotHigh[h] = high
    slotLow[h] = low
    count += 1
    if count * 2 > slots.count { grow() }
    return (g, true)
  }

  private mutating func grow() {
    let old = (slots, slotHigh, slotLow)
    let n = slots.count * 2
    slots = [Int32](repeating: -1, count: n)
    slotHigh = [UInt64](repeating: 0, count: n)
    slotLow = [UInt64](repeating: 0, count: n)
    shift -= 1
    let mask = n - 1
    for i in old.0.indices where old.0[i] >= 0 {
      var h = home(old.1[i], old.2[i])
      while slots[h] >= 0 { h = (h + 1) & mask }
      slots[h] = old.0[i]
      slotHigh[h] = old.1[i]
      slotLow[h] = old.2[i]
    }
  }
}

/// A single 64-bit key (integers, timestamps, durations) in an open-addressing table.
final class IntGroupTable: GroupTable {
  let type: DataType
  private var core = HashCore()
  var keys: [Int64] = []
  var nullID: Int32 = -1
  var capacity: Int { keys.count }

  init(type: DataType) { self.type = type }

  private func nullGroup() -> Int32 {
    if nullID < 0 {
      nullID = Int32(keys.count)
      keys.append(0)
      _ = core.id(1, 0)  // reserve the id (no real key has high == 1)
    }
    return nullID
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let v = keys[0]
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    switch v.data {
    case .u32(let a): fill(a, v.valid, sel, &gids)
    case .u64(let a): fill(a, v.valid, sel, &gids)
    case .int(let a): fill(a, v.valid, sel, &gids)
    case .u16(let a): fill(a, v.valid, sel, &gids)
    case .u8(let a): fill(a, v.valid, sel, &gids)
    default: preconditionFailure("integer table over a non-integer key")
    }
  }

  @inline(__always) private func fill<T: FixedWidthInteger>(
    _ a: [T], _ valid: [Bool]?, _ sel: Selection, _ gids: inout [Int32]
  ) {
    var t = core
    core = HashCore(bits: 1)
    var last: Int64 = 0
    var lastID: Int32 = -1
    for j in 0..<sel.count {
      let r = sel.all ? j : Int(sel.indices[j])
      if let valid, !valid[r] {
        core = t
        gids[j] = nullGroup()
        t = core
        core = HashCore(bits: 1)
        continue
      }
      let k = Int64(truncatingIfNeeded: a[r])
      if lastID >= 0 && k == last {
        gids[j] = lastID
        continue
      }
      let (g, inserted) = t.id(0, UInt64(bitPattern: k))
      if inserted {
        self.keys.append(k)
      }
      lastID = g
      last = k
      gids[j] = g
    }
    core = t
  }

  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValues(_ g: Int) -> [Value] {
    if g == Int(nullID) { return [.null] }
    let k = keys[g]
    switch type {
    case .timestamp: return [.timestamp(k)]
    case .duration: return [.duration(k)]
    default: return [.int(k)]
    }
  }
  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! IntGroupTable
    return o.keys.indices.map { g in
      if g == Int(o.nullID) { return nullGroup() }
      let (id, inserted) = core.id(0, UInt64(bitPattern: o.keys[g]))
      if inserted { keys.append(o.keys[g]) }
      return id
    }
  }
}

/// A single address key. IPv4 keys (the common case) hash only their low 64 bits.
final class IPGroupTable: GroupTable {
  private var core = HashCore()
  var keys: [IPAddress] = []
  var nullID: Int32 = -1
  var capacity: Int { keys.count }

  /// NULL gets its own id; its slot uses a key no address has (the high half of ::/0 with an
  /// impossible low half is avoided by tracking it outside the hash core).
  private func nullGroup(_ t: inout HashCore) -> Int32 {
    if nullID < 0 {
      nullID = Int32(keys.count)
      keys.append(.zero)
      t.count += 1
    }
    return nullID
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let v = keys[0]
    let a = v.ips()
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    var t = core
    core = HashCore(bits: 1)
    var last = IPAddress.zero
    var lastID: Int32 = -1
    a.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        for j in 0..<n {
          let r = sel.all ? j : Int(sel.indices[j])
          if let valid = v.valid, !valid[r] {
            g[j] = nullGroup(&t)
            continue
          }
          let k = p[r]
          if lastID >= 0 && k.low == last.low && k.high == last.high {
            g[j] = lastID
            continue
          }
          let (id, inserted) = t.id(k.high, k.low)
          if inserted { self.keys.append(k) }
          lastID = id
          last = k
          g[j] = id
        }
      }
    }
    core = t
  }

  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValues(_ g: Int) -> [Value] { [g == Int(nullID) ? .null : .ip(keys[g])] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! IPGroupTable
    return o.keys.indices.map { g in
      if g == Int(o.nullID) { return nullGroup(&core) }
      let (id, inserted) = core.id(o.keys[g].high, o.keys[g].low)
      if inserted { keys.append(o.keys[g]) }
      return id
    }
  }
}

/// Any other key (several columns, strings, floats, booleans): a dictionary of value tuples.
final class GenericGroupTable: GroupTable {
  let types: [DataType]
  var index: [[Value]: Int32] = [:]
  var keys: [[Value]] = []
  var capacity: Int { keys.count }

  init(types: [DataType]) { self.types = types }

  func id(_ k: [Value]) -> Int32 {
    if let g = index[k] { return g }
    let g = Int32(keys.count)
    index[k] = g
    keys.append(k)
    return g
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    for j in 0..<n {
      let r = sel.all ? j : Int(sel.indices[j])
      gids[j] = id(zip(keys, types).map { $0.value(r, $1) })
    }
  }

  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValues(_ g: Int) -> [Value] { keys[g] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    (other as! GenericGroupTable).keys.map { id($0) }
  }
}

/// Picks the table for the key expressions of a plan.
func makeGroupTable(_ keys: [BoundExpr], scanTypes: [ColumnType]) -> any GroupTable {
  if keys.isEmpty { return SingleGroupTable() }
  if keys.count == 1 {
    let k = keys[0]
    if case .column(let s, _) = k {
      switch scanTypes[s] {
      case .uint8: return DirectGroupTable(bits: 8)
      case .uint16: return DirectGroupTable(bits: 16)
      default: break
      }
    }
    switch k.type {
    case .int, .timestamp, .duration: return IntGroupTable(type: k.type)
    case .ip: return IPGroupTable()
    default: break
    }
  }
  return GenericGroupTable(types: keys.map(\.type))
}
