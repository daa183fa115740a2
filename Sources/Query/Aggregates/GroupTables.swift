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

/// A single 64-bit key (integers, timestamps, durations) in an open-addressing table.
final class IntGroupTable: GroupTable {
  let type: DataType
  private var slots: [Int32]
  private var slotKeys: [Int64]
  private var mask: Int
  var keys: [Int64] = []
  var nullID: Int32 = -1
  var capacity: Int { keys.count }

  init(type: DataType) {
    self.type = type
    slots = [Int32](repeating: -1, count: 1024)
    slotKeys = [Int64](repeating: 0, count: 1024)
    mask = 1023
  }

  @inline(__always) func id(_ k: Int64) -> Int32 {
    var h = Int(truncatingIfNeeded: mix64(UInt64(bitPattern: k))) & mask
    while true {
      let s = slots[h]
      if s < 0 { break }
      if slotKeys[h] == k { return s }
      h = (h + 1) & mask
    }
    let g = Int32(keys.count)
    slots[h] = g
    slotKeys[h] = k
    keys.append(k)
    if keys.count * 2 > slots.count { grow() }
    return g
  }

  private func grow() {
    let n = slots.count * 2
    slots = [Int32](repeating: -1, count: n)
    slotKeys = [Int64](repeating: 0, count: n)
    mask = n - 1
    for (g, k) in keys.enumerated() {
      var h = Int(truncatingIfNeeded: mix64(UInt64(bitPattern: k))) & mask
      while slots[h] >= 0 { h = (h + 1) & mask }
      slots[h] = Int32(g)
      slotKeys[h] = k
    }
  }

  private func nullGroup() -> Int32 {
    if nullID < 0 {
      nullID = Int32(keys.count)
      keys.append(0)
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
    var last: Int64 = 0
    var lastID: Int32 = -1
    for j in 0..<sel.count {
      let r = sel.all ? j : Int(sel.indices[j])
      if let valid, !valid[r] {
        gids[j] = nullGroup()
        continue
      }
      let k = Int64(truncatingIfNeeded: a[r])
      if lastID >= 0 && k == last {
        gids[j] = lastID
        continue
      }
      lastID = id(k)
      last = k
      gids[j] = lastID
    }
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
      g == Int(o.nullID) ? nullGroup() : id(o.keys[g])
    }
  }
}

/// A single address key. IPv4 keys (the common case) hash only their low 64 bits.
final class IPGroupTable: GroupTable {
  private var slots: [Int32]
  private var slotHigh: [UInt64]
  private var slotLow: [UInt64]
  private var mask: Int
  var keys: [IPAddress] = []
  var nullID: Int32 = -1
  var capacity: Int { keys.count }

  init() {
    slots = [Int32](repeating: -1, count: 1024)
    slotHigh = [UInt64](repeating: 0, count: 1024)
    slotLow = [UInt64](repeating: 0, count: 1024)
    mask = 1023
  }

  @inline(__always) private func hash(_ a: IPAddress) -> Int {
    Int(truncatingIfNeeded: mix64(a.high == 0 ? a.low : a.low ^ mix64(a.high))) & mask
  }

  @inline(__always) func id(_ a: IPAddress) -> Int32 {
    var h = hash(a)
    while true {
      let s = slots[h]
      if s < 0 { break }
      if slotLow[h] == a.low && slotHigh[h] == a.high { return s }
      h = (h + 1) & mask
    }
    let g = Int32(keys.count)
    slots[h] = g
    slotHigh[h] = a.high
    slotLow[h] = a.low
    keys.append(a)
    if keys.count * 2 > slots.count { grow() }
    return g
  }

  private func grow() {
    let n = slots.count * 2
    slots = [Int32](repeating: -1, count: n)
    slotHigh = [UInt64](repeating: 0, count: n)
    slotLow = [UInt64](repeating: 0, count: n)
    mask = n - 1
    for (g, a) in keys.enumerated() {
      var h = hash(a)
      while slots[h] >= 0 { h = (h + 1) & mask }
      slots[h] = Int32(g)
      slotHigh[h] = a.high
      slotLow[h] = a.low
    }
  }

  private func nullGroup() -> Int32 {
    if nullID < 0 {
      nullID = Int32(keys.count)
      keys.append(.zero)
    }
    return nullID
  }

  func assign(_ keys: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let v = keys[0]
    let a = v.ips()
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    var last = IPAddress.zero
    var lastID: Int32 = -1
    a.withUnsafeBufferPointer { p in
      for j in 0..<n {
        let r = sel.all ? j : Int(sel.indices[j])
        if let valid = v.valid, !valid[r] {
          gids[j] = nullGroup()
          continue
        }
        let k = p[r]
        if lastID >= 0 && k == last {
          gids[j] = lastID
          continue
        }
        lastID = id(k)
        last = k
        gids[j] = lastID
      }
    }
  }

  func liveGroups() -> [Int] { Array(keys.indices) }
  func keyValues(_ g: Int) -> [Value] { [g == Int(nullID) ? .null : .ip(keys[g])] }
  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! IPGroupTable
    return o.keys.indices.map { g in g == Int(o.nullID) ? nullGroup() : id(o.keys[g]) }
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
