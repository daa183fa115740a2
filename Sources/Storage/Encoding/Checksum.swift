/// A fast 64-bit checksum over bytes, eight at a time.
///
/// Each step `h = rotl((h ^ word) &* P, 29)` is a bijection of `h` for a fixed word, so any
/// change confined to one word (every single-bit flip) always changes the result. The tail
/// and the length are folded in last.
@inlinable
func checksum64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
  let p: UInt64 = 0x9E37_79B9_7F4A_7C15
  var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
  let words = bytes.count / 8
  var i = 0
  while i < words {
    let w = bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
    h = ((h ^ w) &* p)
    h = h << 29 | h >> 35
    i += 1
  }
  var tail: UInt64 = 0
  for k in (words * 8)..<bytes.count { tail = tail << 8 | UInt64(bytes[k]) }
  h = (h ^ tail) &* p
  return h ^ h >> 31
}

func checksum64(_ bytes: [UInt8]) -> UInt64 {
  bytes.withUnsafeBytes { checksum64($0) }
}
