/// Scratch memory for encoding chunks, reused from one chunk to the next: the encoded bytes,
/// the 64-bit widening of a column, timestamp differences and the LZ4 output.
///
/// A block's sixteen-odd chunks would otherwise each allocate (and fault in, and give back)
/// buffers of up to a few hundred KB. One instance serves one thread at a time.
final class ChunkBuffers {
  /// The encoded chunk (``ColumnCodec/encode(_:rows:reference:into:)`` clears it first).
  var chunk = ByteWriter()
  /// A column's values widened to u64.
  var wide: [UInt64] = []
  /// Timestamp differences from the block's `time` column.
  var diffs: [Int64] = []
  /// LZ4 output (``LZ4/compress(_:into:)``).
  var compressed: [UInt8] = []

  /// Empty buffers; they grow to the largest chunk seen and stay that size.
  init() {}

  /// `buffer` resized to `count` elements, their values unspecified (trivial types only): it
  /// is grown when too small, never shrunk, and not re-zeroed.
  static func resize<T: FixedWidthInteger>(_ buffer: inout [T], to count: Int) {
    if buffer.count < count {
      buffer = [T](repeating: 0, count: count)
    } else if buffer.count > count {
      buffer.removeLast(buffer.count - count)
    }
  }
}
