import Storage

/// Maps group keys to dense group ids. Implementations are specialised by key shape: one small
/// integer key indexes an array directly, one address key has its own table, and every other
/// shape (several columns, strings, timestamps, expressions) is packed into words
/// (``PackedGroupTable``).
protocol GroupTable: AnyObject {
  /// The number of group ids handed out (states are sized to it).
  var capacity: Int { get }
  /// Group ids for the selected rows, aligned with the selection.
  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32])
  /// The ids of groups that received at least one row.
  func liveGroups() -> [Int]
  /// The key values of group `g`.
  func keyValues(_ g: Int) -> [Value]
  /// Key column `c` of group `g`.
  func keyValue(_ g: Int, _ c: Int) -> Value
  /// The canonical order of key column `c` of groups `a` and `b` (NULLs last), as
  /// ``Value/sortOrder(_:_:)`` orders the key values.
  func compareKey(_ a: Int, _ b: Int, column c: Int) -> Int
  /// The number of key columns.
  var keyCount: Int { get }
  /// The bytes the table holds.
  var memoryBytes: Int { get }
  /// Adds `other`'s groups and returns, for each of its ids, the id here.
  func absorb(_ other: any GroupTable) -> [Int32]
}

extension GroupTable {
  func keyValues(_ g: Int) -> [Value] { (0..<keyCount).map { keyValue(g, $0) } }
  /// The canonical order of the keys of groups `a` and `b`, column by column.
  func compareKeys(_ a: Int, _ b: Int) -> Int {
    for c in 0..<keyCount {
      let r = compareKey(a, b, column: c)
      if r != 0 { return r }
    }
    return 0
  }
}

/// The whole input is one group (aggregates without GROUP BY).
final class SingleGroupTable: GroupTable {
  var seen = false
  var capacity: Int { 1 }
  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    if sel.count > 0 { seen = true }
    if gids.count < sel.count { gids = [Int32](repeating: 0, count: sel.count) }
  }
  var keyCount: Int { 0 }
  var memoryBytes: Int { 0 }
  func liveGroups() -> [Int] { seen ? [0] : [] }
  func keyValue(_ g: Int, _ c: Int) -> Value { .null }
  func compareKey(_ a: Int, _ b: Int, column c: Int) -> Int { 0 }
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

  var keyCount: Int { 1 }
  var memoryBytes: Int { seen.count }
  func liveGroups() -> [Int] { seen.indices.filter { seen[$0] } }
  func keyValue(_ g: Int, _ c: Int) -> Value { g == nullGroup ? .null : .int(Int64(g)) }
  /// Group ids are the key values, and the NULL group's id is the largest.
  func compareKey(_ a: Int, _ b: Int, column c: Int) -> Int { a < b ? -1 : a > b ? 1 : 0 }
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

  /// Looks up the IPv4 keys of `keys[start..<count]` (`value` gives each one's host-order
  /// address: the stored value, or the low half of a v4-mapped address), writing their ids to
  /// `ids`; stops at the first key not in the table and returns its index (`count` when all
  /// were found). The table's buffer is borrowed once for the whole run, so the probe loop
  /// carries no reference counting.
  @inline(__always) func probe<K>(
    _ keys: UnsafeBufferPointer<K>, from start: Int, count: Int,
    into ids: UnsafeMutableBufferPointer<Int32>, value: (K) -> UInt32
  ) -> Int {
    let shift = self.shift
    return entries.withUnsafeBufferPointer { e -> Int in
      let mask = e.count - 1
      var k = start
      while k < count {
        let v = value(keys[k])
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
    if case .v4(let narrow) = v.data, v.valid == nil {
      return assignV4(sel.all ? narrow : sel.indices.map { narrow[Int($0)] }, into: &gids)
    }
    var a = v.ips()
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    var dense = sel.all
    if v.valid == nil && !sel.all {
      // Gathered into one contiguous run, so the two-pass probe below applies.
      let src = a
      a = sel.indices.map { src[Int($0)] }
      dense = true
    }
    var t4 = v4
    v4 = V4Core(bits: 1)
    defer { v4 = t4 }
    a.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        if v.valid == nil && dense {
          // Pass 1 derives every row's IPv4 key (or marks it IPv6); pass 2 probes. Keeping the
          // probes free of other work lets their cache misses overlap.
          var all4 = true
          for j in 0..<n where !(p[j].high == 0 && p[j].low >> 32 == 0xFFFF) {
            all4 = false
            break
          }
          if all4 {
            probeAll(p, g, &t4, value: { UInt32(truncatingIfNeeded: $0.low) }, address: { $0 })
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

  /// Every key is IPv4, given as host-order values (one per selected row, contiguous).
  private func assignV4(_ a: [UInt32], into gids: inout [Int32]) {
    let n = a.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    var t4 = v4
    v4 = V4Core(bits: 1)
    defer { v4 = t4 }
    a.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        probeAll(p, g, &t4, value: { $0 }, address: { IPAddress(v4: $0) })
      }
    }
  }

  /// Ids for every key of `p` (all IPv4): probes with the table's buffer held once, up to the
  /// first new key; inserts it (which may grow the table) and goes on from the next row.
  @inline(__always) private func probeAll<K>(
    _ p: UnsafeBufferPointer<K>, _ g: UnsafeMutableBufferPointer<Int32>, _ t4: inout V4Core,
    value: (K) -> UInt32, address: (K) -> IPAddress
  ) {
    var j = 0
    while j < p.count {
      let miss = t4.probe(p, from: j, count: p.count, into: g, value: value)
      if miss == p.count { break }
      let id = Int32(keys.count)
      keys.append(address(p[miss]))
      t4.insert(value(p[miss]), id: id)
      g[miss] = id
      j = miss + 1
    }
  }

  var keyCount: Int { 1 }
  var memoryBytes: Int { 16 * keys.capacity + 8 * v4.entries.capacity + 24 * v6.entries.capacity }
  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValue(_ g: Int, _ c: Int) -> Value { g == Int(nullID) ? .null : .ip(keys[g]) }
  func compareKey(_ a: Int, _ b: Int, column c: Int) -> Int {
    let x = a == Int(nullID)
    let y = b == Int(nullID)
    if x || y { return x == y ? 0 : (x ? 1 : -1) }
    return keys[a] < keys[b] ? -1 : keys[a] == keys[b] ? 0 : 1
  }
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
    if k.type == .ip { return IPGroupTable() }
  }
  return PackedGroupTable(columns: keys.map { KeyColumn.of($0, scanTypes: scanTypes) })
}
