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
  /// One slot: the key halves and the group id (-1 = empty), together in one cache line.
  struct Entry {
    var low: UInt64
    var high: UInt64
    var id: Int32
  }
  var entries: [Entry]
  var shift: UInt64
  var count = 0

  init(bits: Int = 10) {
    entries = [Entry](repeating: Entry(low: 0, high: 0, id: -1), count: 1 << bits)
    shift = UInt64(64 - bits)
  }

  @inline(__always) func home(_ high: UInt64, _ low: UInt64) -> Int {
    let x = high == 0 ? low : low ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
    return Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The id of the key, and whether it was newly inserted (with id `count - 1`).
  @inline(__always) mutating func id(_ high: UInt64, _ low: UInt64) -> (Int32, Bool) {
    let found: Int32 = entries.withUnsafeBufferPointer { e in
      let mask = e.count - 1
      var h = home(high, low)
      while true {
        let s = e[h]
        if s.id < 0 { return -1 - Int32(h) }
        if s.low == low && s.high == high { return s.id }
        h = (h + 1) & mask
      }
    }
    if found >= 0 { return (found, false) }
    let h = Int(-1 - found)
    let g = Int32(count)
    entries[h] = Entry(low: low, high: high, id: g)
    count += 1
    if count * 2 > entries.count { grow() }
    return (g, true)
  }

  private mutating func grow() {
    let old = entries
    let n = entries.count * 2
    entries = [Entry](repeating: Entry(low: 0, high: 0, id: -1), count: n)
    shift -= 1
    let mask = n - 1
    for x in old where x.id >= 0 {
      var h = home(x.high, x.low)
      while entries[h].id >= 0 { h = (h + 1) & mask }
      entries[h] = x
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

/// Open addressing over IPv4 keys packed with their id in one word (`v4 << 32 | id + 1`, 0 =
/// empty): 8 bytes a slot, so a table of thousands of addresses stays in cache.
struct V4Core {
  var entries: [UInt64]
  var shift: UInt64
  var count = 0

  init(bits: Int = 10) {
    entries = [UInt64](repeating: 0, count: 1 << bits)
    shift = UInt64(64 - bits)
  }

  @inline(__always) func home(_ v: UInt32) -> Int {
    Int(truncatingIfNeeded: (UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The id of `v`, or nil when absent (then `insert` it).
  @inline(__always) func find(_ v: UInt32) -> Int32? {
    entries.withUnsafeBufferPointer { e in
      let mask = e.count - 1
      var h = home(v)
      while true {
        let x = e[h]
        if x == 0 { return nil }
        if UInt32(truncatingIfNeeded: x >> 32) == v { return Int32(truncatingIfNeeded: x) - 1 }
        h = (h + 1) & mask
      }
    }
  }

  /// Looks up the IPv4 keys of `keys[start..<count]` (all v4-mapped), writing their ids to
  /// `ids`; stops at the first key not in the table and returns its index (`count` when all
  /// were found). The table's buffer is borrowed once for the whole run, so the probe loop
  /// carries no reference counting.
  @inline(__always) func probe(
    _ keys: UnsafeBufferPointer<IPAddress>, from start: Int, count: Int,
    into ids: UnsafeMutableBufferPointer<Int32>
  ) -> Int {
    let shift = self.shift
    return entries.withUnsafeBufferPointer { e -> Int in
      let mask = e.count - 1
      var k = start
      while k < count {
        let v = UInt32(truncatingIfNeeded: keys[k].low)
        var h = Int(truncatingIfNeeded: (UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
          let x = e[h]
          if x == 0 { return k }
          if UInt32(truncatingIfNeeded: x >> 32) == v {
            ids[k] = Int32(truncatingIfNeeded: x) - 1
            break
          }
          h = (h + 1) & mask
        }
        k += 1
      }
      return count
    }
  }

  mutating func insert(_ v: UInt32, id: Int32) {
    let mask = entries.count - 1
    var h = home(v)
    while entries[h] != 0 { h = (h + 1) & mask }
    entries[h] = UInt64(v) << 32 | UInt64(UInt32(id + 1))
    count += 1
    if count * 2 > entries.count {
      let old = entries
      entries = [UInt64](repeating: 0, count: old.count * 2)
      shift -= 1
      count = 0
      for x in old where x != 0 {
        insert(UInt32(truncatingIfNeeded: x >> 32), id: Int32(truncatingIfNeeded: x) - 1)
      }
    }
  }
}

/// A single address key. IPv4 addresses (the common case) go to a compact 32-bit-key table;
/// IPv6 addresses to the 128-bit core. Ids are shared.
final class IPGroupTable: GroupTable {
  private var v4 = V4Core()
  private var v6 = HashCore()
  var keys: [IPAddress] = []
  var nullID: Int32 = -1
  var capacity: Int { keys.count }

  private func nullGroup() -> Int32 {
    if nullID < 0 {
      nullID = Int32(keys.count)
      keys.append(.zero)
    }
    return nullID
  }

  @inline(__always) private func id(_ k: IPAddress, _ t4: inout V4Core) -> Int32 {
    if k.high == 0 && k.low >> 32 == 0xFFFF {
      let a = UInt32(truncatingIfNeeded: k.low)
      if let g = t4.find(a) { return g }
      let g = Int32(keys.count)
      keys.append(k)
      t4.insert(a, id: g)
      return g
    }
    v6.count = keys.count
    let (g, inserted) = v6.id(k.high, k.low)
    if inserted { keys.append(k) }
    return g
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let v = keys[0]
    let a = v.ips()
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    var t4 = v4
    v4 = V4Core(bits: 1)
    defer { v4 = t4 }
    a.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        if v.valid == nil && sel.all {
          // Pass 1 derives every row's IPv4 key (or marks it IPv6); pass 2 probes. Keeping the
          // probes free of other work lets their cache misses overlap.
          var all4 = true
          for j in 0..<n where !(p[j].high == 0 && p[j].low >> 32 == 0xFFFF) {
            all4 = false
            break
          }
          if all4 {
            var j = 0
            while j < n {
              // Probe with the table's buffer held once, up to the first new key; insert it
              // (which may grow the table) and go on from the next row.
              let miss = t4.probe(p, from: j, count: n, into: g)
              if miss == n { break }
              let a = UInt32(truncatingIfNeeded: p[miss].low)
              let id = Int32(self.keys.count)
              self.keys.append(p[miss])
              t4.insert(a, id: id)
              g[miss] = id
              j = miss + 1
            }
            return
          }
          for j in 0..<n { g[j] = id(p[j], &t4) }
          return
        }
        for j in 0..<n {
          let r = sel.all ? j : Int(sel.indices[j])
          if let valid = v.valid, !valid[r] {
            g[j] = nullGroup()
          } else {
            g[j] = id(p[r], &t4)
          }
        }
      }
    }
  }

  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValues(_ g: Int) -> [Value] { [g == Int(nullID) ? .null : .ip(keys[g])] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! IPGroupTable
    var t4 = v4
    v4 = V4Core(bits: 1)
    defer { v4 = t4 }
    return o.keys.indices.map { g in
      g == Int(o.nullID) ? nullGroup() : id(o.keys[g], &t4)
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
