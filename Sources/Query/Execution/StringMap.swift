/// Maps a string function over a batch's strings, computing it once per distinct string.
///
/// A batch's strings mostly repeat a few dictionary entries that share storage, so a small
/// direct-mapped memo keyed by the string's representation (see ``representation(_:)``) answers
/// most rows without touching their characters. A miss (another value, or an equal value with
/// other storage) just computes `f` again, so results never depend on how strings were stored.
@inline(__always) func mapStrings<T>(
  _ a: [String], _ f: (String) -> T
) -> [T] {
  let bits = 8
  var words = [UInt64](repeating: 0, count: 2 << bits)
  var cached = [T?](repeating: nil, count: 1 << bits)
  var out: [T] = []
  out.reserveCapacity(a.count)
  a.withUnsafeBufferPointer { p in
    for i in 0..<p.count {
      let (w0, w1) = representation(p[i])
      let slot = Int(
        truncatingIfNeeded: ((w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9)
          >> UInt64(64 - bits))
      if let v = cached[slot], words[2 * slot] == w0, words[2 * slot + 1] == w1 {
        out.append(v)
        continue
      }
      let v = f(p[i])
      words[2 * slot] = w0
      words[2 * slot + 1] = w1
      cached[slot] = v
      out.append(v)
    }
  }
  return out
}
