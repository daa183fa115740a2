import CFlowSys
import Storage

/// Group ids for keys of any shape: one or several columns of any type, packed into a few
/// 64-bit words per row (``KeyLayout``) and looked up column-wise, a batch at a time.
///
/// Keys of at most 16 bits index a direct array. Wider keys go to an open-addressing table whose
/// slots hold the group id and the key words inline (one cache line touched per probe), with
/// linear probing at a load of at most one half. Strings are interned to dense ids first, so a
/// string key costs as much as a small integer. No per-row `Value` is built.
///
/// Memory per group: the key words once by group id (8 bytes a word) and once in the slots,
/// whose count is a power of two between 2 and 4 times the groups (8 bytes for the id word plus
/// 8 a key word); a string column adds its distinct strings once.
final class PackedGroupTable: GroupTable {
  private(set) var layout: KeyLayout
  /// The packed key of group `g` at `keys[g * words ..< (g + 1) * words]`.
  private var keys: [UInt64] = []
  private(set) var count = 0
  private var interners: [StringInterner]
  /// Direct layouts: the group id of each 16-bit key (-1: none).
  private var direct: [Int32] = []
  /// Hashed layouts: slots of `1 + words` words: group id + 1 (0: empty), then the key.
  private var slots: [UInt64] = []
  private var shift: UInt64 = 0
  private var packed: [UInt64] = []
  private var hashes: [UInt64] = []
  private var stringIDs: [[Int32]]

  init(columns: [KeyColumn]) {
    layout = KeyLayout(columns)
    interners = columns.map { _ in StringInterner() }
    stringIDs = columns.map { _ in [] }
    rebuildIndex()
  }

  var capacity: Int { count }
  func liveGroups() -> [Int] { Array(0..<count) }

  /// The bytes this table holds (keys, slots or direct array, interned strings).
  var memoryBytes: Int {
    8 * (keys.capacity + slots.capacity + packed.capacity) + 4 * direct.capacity
      + interners.reduce(0) { $0 + $1.count * 48 }
  }

  func assign(_ vecs: [Vec], _ sel: Selection, into gids: inout [Int32]) {
    let n = sel.count
    if gids.count < n { gids = [Int32](repeating: 0, count: n) }
    if n == 0 { return }
    if assignCodedString(vecs, sel, into: &gids) { return }
    widenIfNeeded(vecs, sel)
    if layout.isDirect && layout.columns.count == 1 && layout.columns[0].kind == .string
      && !layout.columns[0].nullable
    {
      // One string key: its interned id is the packed key.
      stringIDs[0].withUnsafeBufferPointer { ids in
        gids.withUnsafeMutableBufferPointer { g in lookupDirect(ids, n, g) }
      }
      return
    }
    layout.pack(vecs, sel, stringIDs: stringIDs, into: &packed)
    let w = layout.words
    packed.withUnsafeBufferPointer { p in
      gids.withUnsafeMutableBufferPointer { g in
        if layout.isDirect {
          lookupDirect(p, n, g)
        } else {
          switch w {
          case 1: lookupHashed(p, n, g, words: 1)
          case 2: lookupHashed(p, n, g, words: 2)
          default: lookupHashed(p, n, g, words: w)
          }
        }
      }
    }
  }

  /// Interns this batch's strings and widens the layout when the batch needs it: a NULL in a
  /// column without a NULL flag, an IPv6 address in an IPv4 column, more strings than the id
  /// field holds. Existing keys are re-packed once.
  private func widenIfNeeded(_ vecs: [Vec], _ sel: Selection) {
    var columns = layout.columns
    for (c, v) in vecs.enumerated() {
      // A string column's NULL has an id of its own: no flag.
      if let valid = v.valid, !columns[c].nullable, columns[c].kind != .string {
        for j in 0..<sel.count where !valid[sel.all ? j : Int(sel.indices[j])] {
          columns[c].nullable = true
          break
        }
      }
      switch v.data {
      case .ip(let a) where !columns[c].wideAddresses:
        if hasIPv6(a, v.valid, sel) { columns[c].wideAddresses = true }
      case .string(let a):
        interners[c].ids(a, v.valid, sel, into: &stringIDs[c], nullAsID: true)
        if interners[c].count > 1 << columns[c].stringBits { columns[c].stringBits = 32 }
      case .codes(let codes, let entries):
        interners[c].ids(
          codes: codes, entries: entries, v.valid, sel, into: &stringIDs[c], nullAsID: true)
        if interners[c].count > 1 << columns[c].stringBits { columns[c].stringBits = 32 }
      default: break
      }
    }
    if columns != layout.columns { relayout(KeyLayout(columns)) }
  }

  /// Re-packs every key into `new` and rebuilds the index (group ids do not change).
  private func relayout(_ new: KeyLayout) {
    let old = layout
    var out = [UInt64](repeating: 0, count: count * new.words)
    keys.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for g in 0..<count {
          let s = src.baseAddress! + g * old.words
          let d = dst.baseAddress! + g * new.words
          for c in 0..<old.columns.count { new.setField(d, c, old.field(s, c)) }
        }
      }
    }
    layout = new
    keys = out
    rebuildIndex()
  }

  private func rebuildIndex() {
    if layout.isDirect {
      slots = []
      direct = [Int32](repeating: -1, count: 1 << 16)
      for g in 0..<count { direct[Int(keys[g])] = Int32(g) }
      return
    }
    direct = []
    var bits = 10
    while (1 << bits) < 2 * count + 2 { bits += 1 }
    let w = layout.words
    slots = [UInt64](repeating: 0, count: (1 << bits) * (w + 1))
    shift = UInt64(64 - bits)
    keys.withUnsafeBufferPointer { k in
      slots.withUnsafeMutableBufferPointer { s in
        let mask = (1 << bits) - 1
        for g in 0..<count {
          var h = slotIndex(k.baseAddress! + g * w, w)
          while s[h * (w + 1)] != 0 { h = (h + 1) & mask }
          s[h * (w + 1)] = UInt64(g + 1)
          for i in 0..<w { s[h * (w + 1) + 1 + i] = k[g * w + i] }
        }
      }
    }
  }

  @inline(__always) private func slotIndex(_ p: UnsafePointer<UInt64>, _ w: Int) -> Int {
    Int(truncatingIfNeeded: hashWords(p, w) >> shift)
  }

  /// One dictionary-coded string key on a direct layout: the group of each dictionary entry
  /// (and of NULL) is found once per dictionary, then each row takes its entry's group in one
  /// pass. False when the shape differs or the strings outgrow the id field (the general path
  /// widens the layout).
  private func assignCodedString(_ vecs: [Vec], _ sel: Selection, into gids: inout [Int32])
    -> Bool
  {
    guard vecs.count == 1, layout.isDirect, layout.columns[0].kind == .string,
      !layout.columns[0].nullable, case .codes(let codes, let entries) = vecs[0].data
    else { return false }
    let valid = vecs[0].valid
    let ids = interners[0].entryIDs(entries)
    let nullID = valid != nil ? interners[0].idForNull() : 0
    guard interners[0].count <= 1 << layout.columns[0].stringBits else { return false }
    // The groups the entries have so far (-1: none yet); a group is made only for a key some
    // selected row has, so the rows first seen in this batch are fixed up after the pass.
    let entryGroups = ids.map { direct[Int($0)] }
    let nullGroup = valid != nil ? direct[Int(nullID)] : 0
    let n = sel.count
    var unseen: Int32 = 0
    entryGroups.withUnsafeBufferPointer { t in
      codes.withUnsafeBufferPointer { c in
        gids.withUnsafeMutableBufferPointer { g in
          StringInterner.select(t, c, valid, nullGroup, sel, into: g)
          for j in 0..<n { unseen |= g[j] }
        }
      }
    }
    if unseen < 0 {
      for j in 0..<n where gids[j] < 0 {
        let r = sel.all ? j : Int(sel.indices[j])
        let valid = vecs[0].isValid(r)
        gids[j] = directGroup(Int(valid ? ids[Int(codes[r])] : nullID))
      }
    }
    return true
  }

  /// The group of direct key `k`, created on first sight.
  private func directGroup(_ k: Int) -> Int32 {
    if direct[k] >= 0 { return direct[k] }
    direct[k] = Int32(count)
    keys.append(UInt64(k))
    count += 1
    return direct[k]
  }

  private func lookupDirect<K: FixedWidthInteger>(
    _ p: UnsafeBufferPointer<K>, _ n: Int, _ g: UnsafeMutableBufferPointer<Int32>
  ) {
    direct.withUnsafeMutableBufferPointer { d in
      for j in 0..<n {
        let k = Int(truncatingIfNeeded: p[j])
        var id = d[k]
        if id < 0 {
          id = Int32(count)
          d[k] = id
          keys.append(UInt64(truncatingIfNeeded: p[j]))
          count += 1
        }
        g[j] = id
      }
    }
  }

  /// Probes (and inserts) every packed key; consecutive equal keys reuse the last id. All the
  /// batch's hashes are computed first and their slots prefetched, so the probes' cache misses
  /// overlap instead of coming one after another.
  @inline(__always) private func lookupHashed(
    _ p: UnsafeBufferPointer<UInt64>, _ n: Int, _ g: UnsafeMutableBufferPointer<Int32>,
    words w: Int
  ) {
    if hashes.count < n { hashes = [UInt64](repeating: 0, count: n) }
    hashes.withUnsafeMutableBufferPointer { hs in
      slots.withUnsafeBufferPointer { s in
        let base = s.baseAddress!
        for k in 0..<n {
          let h = hashWords(p.baseAddress! + k * w, w)
          hs[k] = h
          cflowsys_prefetch(base + Int(truncatingIfNeeded: h >> shift) * (w + 1))
        }
      }
    }
    var j = 0
    while j < n {
      // Probe with the slots borrowed once, up to the first key not in the table.
      let miss: Int = hashes.withUnsafeBufferPointer { hs in
        slots.withUnsafeBufferPointer { s in
          let mask = s.count / (w + 1) - 1
          let shift = self.shift
          var k = j
          while k < n {
            let key = p.baseAddress! + k * w
            if k > 0 {
              var same = true
              for i in 0..<w where key[i] != key[i - w] { same = false }
              if same {
                g[k] = g[k - 1]
                k += 1
                continue
              }
            }
            var h = Int(truncatingIfNeeded: hs[k] >> shift)
            while true {
              let base = h * (w + 1)
              let id = s[base]
              if id == 0 { return k }
              var eq = true
              for i in 0..<w where s[base + 1 + i] != key[i] { eq = false }
              if eq {
                g[k] = Int32(truncatingIfNeeded: id) - 1
                break
              }
              h = (h + 1) & mask
            }
            k += 1
          }
          return n
        }
      }
      if miss == n { return }
      g[miss] = insert(p.baseAddress! + miss * w, w)
      j = miss + 1
    }
  }

  /// Adds a key known to be absent; returns its new id.
  private func insert(_ key: UnsafePointer<UInt64>, _ w: Int) -> Int32 {
    let id = count
    for i in 0..<w { keys.append(key[i]) }
    count += 1
    if 2 * count + 2 > slots.count / (w + 1) {
      rebuildIndex()
      return Int32(id)
    }
    slots.withUnsafeMutableBufferPointer { s in
      let mask = s.count / (w + 1) - 1
      var h = slotIndex(key, w)
      while s[h * (w + 1)] != 0 { h = (h + 1) & mask }
      s[h * (w + 1)] = UInt64(id + 1)
      for i in 0..<w { s[h * (w + 1) + 1 + i] = key[i] }
    }
    return Int32(id)
  }

  // MARK: Reading keys back

  /// Column `c` of group `g`.
  @inline(__always) func field(_ g: Int, _ c: Int) -> (isNull: Bool, high: UInt64, low: UInt64) {
    var f = keys.withUnsafeBufferPointer { k in layout.field(k.baseAddress! + g * layout.words, c) }
    if layout.columns[c].kind == .string && f.low == UInt64(UInt32(bitPattern: interners[c].nullID))
    {
      f.isNull = true
    }
    return f
  }

  /// Key column `c` of group `g` as a value of its logical type.
  func keyValue(_ g: Int, _ c: Int) -> Value {
    let f = field(g, c)
    if f.isNull { return .null }
    let col = layout.columns[c]
    switch col.kind {
    case .ip: return .ip(IPAddress(high: f.high, low: f.low))
    case .string: return .string(interners[c].strings[Int(f.low)])
    case .float: return .float(Double(bitPattern: f.low))
    case .bool: return col.type == .null ? .null : .bool(f.low != 0)
    default:
      let v = Int64(bitPattern: f.low)
      switch col.type {
      case .timestamp: return .timestamp(v)
      case .duration: return .duration(v)
      default: return .int(v)
      }
    }
  }

  var keyCount: Int { layout.columns.count }

  func compareKey(_ a: Int, _ b: Int, column c: Int) -> Int {
    let x = field(a, c)
    let y = field(b, c)
    if x.isNull || y.isNull { return x.isNull == y.isNull ? 0 : (x.isNull ? 1 : -1) }
    switch layout.columns[c].kind {
    case .ip: return x.high != y.high ? (x.high < y.high ? -1 : 1) : order(x.low, y.low)
    case .string:
      if x.low == y.low { return 0 }
      return interners[c].strings[Int(x.low)] < interners[c].strings[Int(y.low)] ? -1 : 1
    case .float: return order(Double(bitPattern: x.low), Double(bitPattern: y.low))
    case .uint8, .uint16, .uint32, .bool: return order(x.low, y.low)
    case .uint64, .int64: return order(Int64(bitPattern: x.low), Int64(bitPattern: y.low))
    }
  }

  /// The keys of groups `0..<count` as vectors (one per column), for merging into another table.
  func keyVectors() -> [Vec] {
    let n = count
    return layout.columns.enumerated().map { c, col in
      var valid = [Bool](repeating: true, count: n)
      var anyNull = false
      var lows = [UInt64](repeating: 0, count: n)
      var ips: [IPAddress] = []
      if col.kind == .ip { ips.reserveCapacity(n) }
      for g in 0..<n {
        let f = field(g, c)
        if f.isNull {
          valid[g] = false
          anyNull = true
        }
        lows[g] = f.low
        if col.kind == .ip { ips.append(f.isNull ? .zero : IPAddress(high: f.high, low: f.low)) }
      }
      let data: Vec.Data
      switch col.kind {
      case .uint8: data = .u8(lows.map { UInt8(truncatingIfNeeded: $0) })
      case .uint16: data = .u16(lows.map { UInt16(truncatingIfNeeded: $0) })
      case .uint32: data = .u32(lows.map { UInt32(truncatingIfNeeded: $0) })
      case .uint64: data = .u64(lows)
      case .int64: data = .int(lows.map { Int64(bitPattern: $0) })
      case .float: data = .float(lows.map { Double(bitPattern: $0) })
      case .bool: data = .bool(lows.map { $0 != 0 })
      case .ip: data = .ip(ips)
      case .string:
        let strings = interners[c].strings
        data = .string(lows.map { Int($0) < strings.count ? strings[Int($0)] : "" })
      }
      return Vec(data, valid: anyNull ? valid : nil, count: n)
    }
  }

  func absorb(_ other: any GroupTable) -> [Int32] {
    let o = other as! PackedGroupTable
    var map: [Int32] = []
    assign(o.keyVectors(), .all(o.count), into: &map)
    return Array(map.prefix(o.count))
  }
}

@inline(__always) private func order<T: Comparable>(_ a: T, _ b: T) -> Int {
  a < b ? -1 : a > b ? 1 : 0
}

/// A 64-bit hash of `w` key words whose top bits are well spread (they pick the slot).
@inline(__always) func hashWords(_ p: UnsafePointer<UInt64>, _ w: Int) -> UInt64 {
  var h: UInt64 = 0x243F_6A88_85A3_08D3
  for i in 0..<w {
    h = (h ^ p[i]) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
  }
  return h &* 0xBF58_476D_1CE4_E5B9
}

/// True when a selected, non-NULL address is not IPv4 (one branch-free pass when no row is
/// NULL and all are selected).
func hasIPv6(_ a: [IPAddress], _ valid: [Bool]?, _ sel: Selection) -> Bool {
  if valid == nil && sel.all {
    return a.withUnsafeBufferPointer { p in
      var bad: UInt64 = 0
      for i in 0..<sel.count { bad |= p[i].high | ((p[i].low >> 32) ^ 0xFFFF) }
      return bad != 0
    }
  }
  for j in 0..<sel.count {
    let r = sel.all ? j : Int(sel.indices[j])
    if !a[r].isV4 && (valid?[r] ?? true) { return true }
  }
  return false
}
