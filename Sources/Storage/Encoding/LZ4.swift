import CLZ4

/// Block compression through liblz4.
enum LZ4 {
  /// liblz4's acceleration: 4 skips ahead faster over input that does not match. On the
  /// reference stream it takes 5 % fewer instructions to encode blocks than the default (1),
  /// for 12.24 bytes a flow instead of 12.09 (docs/PERFORMANCE.md).
  static let acceleration: Int32 = 4

  /// Compresses `input`; returns nil when the result would not be smaller.
  static func compress(_ input: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    guard let n = input.withUnsafeBytes({ compress($0, into: &out) }) else { return nil }
    return Array(out[..<n])
  }

  /// Compresses `input` into `output` (grown as needed, never shrunk), returning the
  /// compressed length, or nil when the result would not be smaller.
  static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Int? {
    // Below 13 bytes (liblz4's MFLIMIT + 1) liblz4 emits literals only, never fewer bytes: a
    // constant chunk (11 or 12 bytes) is not handed to it (CodecTests.lz4LeavesShortInputsAlone).
    guard input.count >= 13, input.count < Int(Int32.max) else { return nil }
    let bound = Int(LZ4_compressBound(Int32(input.count)))
    if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
    let n = output.withUnsafeMutableBytes { dst in
      LZ4_compress_fast(
        input.baseAddress!.assumingMemoryBound(to: CChar.self),
        dst.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(bound),
        acceleration)
    }
    guard n > 0, Int(n) < input.count else { return nil }
    return Int(n)
  }

  /// Decompresses `input` into exactly `rawCount` bytes (plus `padding` zero bytes after them);
  /// nil when the data is not a valid LZ4 block of that size.
  static func decompress(_ input: UnsafeRawBufferPointer, rawCount: Int, padding: Int = 0)
    -> [UInt8]?
  {
    guard rawCount >= 0, rawCount < Int(Int32.max), input.count < Int(Int32.max) else {
      return nil
    }
    if rawCount == 0 { return [UInt8](repeating: 0, count: padding) }
    var n: Int32 = 0
    // Only the padding is zeroed; LZ4 writes the rest (a failed block is thrown away).
    let out = [UInt8](unsafeUninitializedCapacity: rawCount + padding) { dst, k in
      (dst.baseAddress! + rawCount).initialize(repeating: 0, count: padding)
      n = LZ4_decompress_safe(
        input.baseAddress!.assumingMemoryBound(to: CChar.self),
        UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
        Int32(input.count), Int32(rawCount))
      if n != Int32(rawCount) { dst.baseAddress!.initialize(repeating: 0, count: rawCount) }
      k = rawCount + padding
    }
    return Int(n) == rawCount ? out : nil
  }
}
