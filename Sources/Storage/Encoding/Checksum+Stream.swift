/// ``checksum64(_:)`` of a byte stream fed in pieces (e.g. the iovecs of a WAL entry), without
/// joining them: the result equals `checksum64` of the concatenation.
///
/// The total length must be known up front (it seeds lane A and decides which words are
/// "past the last full group of four"). Whole 32-byte groups are hashed in place from each
/// piece; only the bytes of a group split across pieces go through a 32-byte carry buffer.
struct ChecksumStream {
  private var a: UInt64
  private var b: UInt64 = 0x1319_8A2E_0370_7344
  private var c: UInt64 = 0xA409_3822_299F_31D0
  private var d: UInt64 = 0x082E_FA98_EC4E_6C89
  /// Bytes of an unfinished group, `carried` of them valid.
  private var carry: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var carried = 0
  /// Bytes fed so far and in all.
  private var fed = 0
  private let total: Int

  /// A stream that will be fed exactly `total` bytes.
  init(total: Int) {
    self.total = total
    a = 0x243F_6A88_85A3_08D3 ^ UInt64(total)
  }

  /// Hashes one group of four words, one per lane.
  @inline(__always)
  private mutating func group(_ p: UnsafeRawPointer) {
    checksumStep(&a, p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    checksumStep(&b, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    checksumStep(&c, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    checksumStep(&d, p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
  }

  /// Feeds the next bytes of the stream.
  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard var p = bytes.baseAddress, bytes.count > 0 else { return }
    var left = bytes.count
    fed += left
    precondition(fed <= total, "checksum stream fed past its length")
    if carried > 0 {
      let k = Swift.min(left, 32 - carried)
      withUnsafeMutableBytes(of: &carry) { (cb: UnsafeMutableRawBufferPointer) in
        (cb.baseAddress! + carried).copyMemory(from: p, byteCount: k)
      }
      carried += k
      p += k
      left -= k
      guard carried == 32 else { return }
      let words = carry
      withUnsafeBytes(of: words) { group($0.baseAddress!) }
      carried = 0
    }
    while left >= 32 {
      group(p)
      p += 32
      left -= 32
    }
    if left > 0 {
      withUnsafeMutableBytes(of: &carry) { (cb: UnsafeMutableRawBufferPointer) in
        cb.baseAddress!.copyMemory(from: p, byteCount: left)
      }
      carried = left
    }
  }

  /// The checksum; every byte announced in `init` must have been fed.
  func finish() -> UInt64 {
    precondition(fed == total, "checksum stream fed \(fed) of \(total) bytes")
    var a = self.a
    // Fewer than 32 bytes remain: their whole words go to lane A, then the big-endian tail.
    let rest = carry
    return withUnsafeBytes(of: rest) { r in
      var i = 0
      while i + 8 <= carried {
        checksumStep(&a, r.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i += 8
      }
      var tail: UInt64 = 0
      while i < carried {
        tail = tail << 8 | UInt64(r[i])
        i += 1
      }
      checksumStep(&a, tail)
      checksumStep(&a, b)
      checksumStep(&a, c)
      checksumStep(&a, d)
      return a ^ a >> 31
    }
  }
}
