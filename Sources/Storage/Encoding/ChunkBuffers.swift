import Synchronization

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
      // Within the capacity (a full block after a short one) only the difference is zeroed.
      buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    } else if buffer.count > count {
      buffer.removeLast(buffer.count - count)
    }
  }

  /// Instances kept between blocks and seals, so that encoding threads reuse warm scratch
  /// memory instead of allocating (and zeroing) it for every block.
  static let pool = ChunkBufferPool()
}

/// A locked stack of ``ChunkBuffers``: a thread takes one for a block and gives it back after,
/// so no instance is used by two threads at once. It holds at most as many as ever ran at once.
final class ChunkBufferPool: Sendable {
  private let lock = Mutex(())
  /// Read and written holding `lock` only; an instance in it is used by no thread.
  private nonisolated(unsafe) var free: [ChunkBuffers] = []

  /// A free instance, or a new one.
  func take() -> ChunkBuffers {
    lock.withLock { _ in free.popLast() } ?? ChunkBuffers()
  }

  /// Returns `buffers`, which the caller no longer uses.
  func give(_ buffers: ChunkBuffers) {
    lock.withLock { _ in free.append(buffers) }
  }
}
