/// Gives each distinct string a dense id (0, 1, 2 … in order of first appearance).
///
/// Stored string columns are decoded from a per-block dictionary, so the rows of one block that
/// hold the same value share one string storage: their 16-byte representations are identical.
/// A direct-mapped memo keyed by that representation answers repeats without reading or hashing
/// the characters; only a miss hashes the string. The memo is a cache: two equal strings with
/// different storage both miss and then find the same id in the dictionary, so ids never depend
/// on how strings were stored.
struct StringInterner {
  /// The strings by id.
  private(set) var strings: [String] = []
  private var index: [String: Int32] = [:]
  /// Memo slot `k`: the representation words at `2k`, `2k + 1`, the id at `k` (-1: empty).
  private var memoWords: [UInt64]
  private var memoIDs: [Int32]
  /// Keeps each memo entry's string alive, so its representation cannot be reused for another.
  private var memoKeep: [String]
  private static let memoBits = 10
  /// The ids of the last dictionary's entries, and that dictionary (kept alive, so its buffer
  /// address identifies it).
  private var lastEntries: UnsafePointer<String>?
  private var lastEntryIDs: [Int32] = []
  private var lastKeep: [String] = []

  init() {
    let n = 1 << Self.memoBits
    memoWords = [UInt64](repeating: 0, count: 2 * n)
    memoIDs = [Int32](repeating: -1, count: n)
    memoKeep = [String](repeating: "", count: n)
  }

  /// The number of ids handed out (distinct strings, and NULL once it has its own id).
  var count: Int { strings.count }

  /// The id standing for NULL, when NULL was given one (see ``idForNull()``).
  private(set) var nullID: Int32 = -1

  /// An id for NULL, distinct from every string's (the empty string's included).
  mutating func idForNull() -> Int32 {
    if nullID < 0 {
      nullID = Int32(strings.count)
      strings.append("")
    }
    return nullID
  }

  /// The id of `s`, assigned on first sight.
  mutating func id(_ s: String) -> Int32 {
    let (w0, w1) = representation(s)
    let slot = Int(
      truncatingIfNeeded: ((w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9)
        >> UInt64(64 - Self.memoBits))
    if memoIDs[slot] >= 0 && memoWords[2 * slot] == w0 && memoWords[2 * slot + 1] == w1 {
      return memoIDs[slot]
    }
    let id: Int32
    if let known = index[s] {
      id = known
    } else {
      id = Int32(strings.count)
      strings.append(s)
      index[s] = id
    }
    memoWords[2 * slot] = w0
    memoWords[2 * slot + 1] = w1
    memoIDs[slot] = id
    memoKeep[slot] = s
    return id
  }

  /// The id of `s` when it was seen, without assigning one.
  func existingID(_ s: String) -> Int32? { index[s] }

  /// Ids for the selected rows of dictionary-coded strings: each entry is interned once per
  /// dictionary (the last dictionary's ids are kept while batches of its block come).
  mutating func ids(
    codes: [UInt32], entries: [String], _ valid: [Bool]?, _ sel: Selection,
    into out: inout [Int32], nullAsID: Bool = false
  ) {
    let n = sel.count
    let null = nullAsID && valid != nil ? idForNull() : -1
    if out.count < n { out = [Int32](repeating: 0, count: n) }
    entryIDs(entries).withUnsafeBufferPointer { ids in
      codes.withUnsafeBufferPointer { c in
        out.withUnsafeMutableBufferPointer { o in Self.select(ids, c, valid, null, sel, into: o) }
      }
    }
  }

  /// `out[j] = table[codes[r]]` for the `j`-th selected row `r`, or `null` where `valid` marks
  /// the row NULL. Every code is a valid index (a NULL row's is 0), so the entry is loaded
  /// whatever the row's validity and then chosen by a mask; the flags are read as bytes, not
  /// Bools, so the compiler cannot turn the mask back into a branch on each row.
  static func select(
    _ table: UnsafeBufferPointer<Int32>, _ c: UnsafeBufferPointer<UInt32>, _ valid: [Bool]?,
    _ null: Int32, _ sel: Selection, into o: UnsafeMutableBufferPointer<Int32>
  ) {
    let n = sel.count
    guard let valid else {
      if sel.all {
        for j in 0..<n { o[j] = table[Int(c[j])] }
      } else {
        for j in 0..<n { o[j] = table[Int(c[Int(sel.indices[j])])] }
      }
      return
    }
    valid.withUnsafeBytes { vb in
      let v = vb.bindMemory(to: UInt8.self)
      if sel.all {
        for j in 0..<n {
          let keep = 0 &- Int32(v[j])  // all ones for a valid row
          o[j] = table[Int(c[j])] & keep | null & ~keep
        }
      } else {
        for j in 0..<n {
          let r = Int(sel.indices[j])
          let keep = 0 &- Int32(v[r])
          o[j] = table[Int(c[r])] & keep | null & ~keep
        }
      }
    }
  }

  /// The ids of a dictionary's entries; the last dictionary's are kept while batches of its
  /// block come (the same buffer means the same entries, since the dictionary is kept alive).
  mutating func entryIDs(_ entries: [String]) -> [Int32] {
    let same =
      entries.withUnsafeBufferPointer { $0.baseAddress } == lastEntries
      && entries.count == lastEntryIDs.count
    if !same {
      lastEntryIDs = entries.map { id($0) }
      lastEntries = entries.withUnsafeBufferPointer { $0.baseAddress }
      lastKeep = entries
    }
    return lastEntryIDs
  }

  /// Ids for the selected rows of `a` (`out[j]` for the `j`-th selected row); rows that `valid`
  /// marks NULL get -1 (with `nullAsID`, the id for NULL).
  mutating func ids(
    _ a: [String], _ valid: [Bool]?, _ sel: Selection, into out: inout [Int32],
    nullAsID: Bool = false
  ) {
    let n = sel.count
    let null = nullAsID && valid != nil ? idForNull() : -1
    if out.count < n { out = [Int32](repeating: 0, count: n) }
    for j in 0..<n {
      let r = sel.all ? j : Int(sel.indices[j])
      if let valid, !valid[r] {
        out[j] = null
      } else {
        out[j] = id(a[r])
      }
    }
  }
}

/// The two words of a string's in-memory representation (equal words mean equal strings
/// while both are alive; unequal words say nothing).
@inline(__always) func representation(_ s: String) -> (UInt64, UInt64) {
  unsafeBitCast(s, to: (UInt64, UInt64).self)
}
