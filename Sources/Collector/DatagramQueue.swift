import Foundation
import Ingest

/// The bounded hand-off between the socket reader (event loop) and the decode/store worker.
///
/// ``offer(_:)`` never blocks: a chunk that does not fit (datagram or byte bound) is refused
/// and the caller counts its datagrams as dropped. ``take(into:timeout:)`` blocks the worker until
/// chunks arrive, the timeout passes, or the queue is closed.
///
/// `@unchecked Sendable`: every mutable property is read and written holding `condition`.
final class DatagramQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var chunks: [DatagramChunk] = []
  private var datagrams = 0
  private var bytes = 0
  private var closed = false
  /// Emptied chunks kept for reuse, so the socket reader does not allocate (and page-fault in)
  /// a fresh megabyte-sized buffer for every vectored read.
  private var spares: [DatagramChunk] = []
  /// Most emptied chunks kept in ``spares``.
  static let maxSpares = 8
  /// Most datagrams held at once.
  let maxDatagrams: Int
  /// Most payload bytes held at once.
  let maxBytes: Int
  /// Most datagrams seen queued at once (a gauge for tuning).
  private(set) var highWater = 0

  init(maxDatagrams: Int, maxBytes: Int) {
    self.maxDatagrams = max(1, maxDatagrams)
    self.maxBytes = max(1, maxBytes)
  }

  /// Queues `chunk`; false when it does not fit or the queue is closed.
  func offer(_ chunk: DatagramChunk) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard !closed, datagrams + chunk.count <= maxDatagrams, bytes + chunk.bytes.count <= maxBytes
    else { return false }
    let wasEmpty = chunks.isEmpty
    chunks.append(chunk)
    datagrams += chunk.count
    bytes += chunk.bytes.count
    highWater = max(highWater, datagrams)
    if wasEmpty { condition.signal() }
    return true
  }

  /// Moves every queued chunk into `out` (which must be empty), oldest first, waiting up to
  /// `timeout` seconds for one. Returns true once the queue is closed and empty.
  ///
  /// The arrays are swapped, not copied, so each chunk's buffers stay uniquely held and can be
  /// ``recycle(_:)``d without a copy.
  func take(into out: inout [DatagramChunk], timeout: Double) -> Bool {
    precondition(out.isEmpty, "take(into:) needs an empty array")
    condition.lock()
    defer { condition.unlock() }
    if chunks.isEmpty && !closed {
      _ = condition.wait(until: Date(timeIntervalSinceNow: timeout))
    }
    swap(&out, &chunks)
    datagrams = 0
    bytes = 0
    return closed && out.isEmpty
  }

  /// An empty chunk for the next read: a recycled one when there is one, else a new one with
  /// room for `capacity` payload bytes.
  func emptyChunk(capacity: Int) -> DatagramChunk {
    condition.lock()
    let spare = spares.popLast()
    condition.unlock()
    var chunk = spare ?? DatagramChunk()
    chunk.bytes.reserveCapacity(capacity)
    return chunk
  }

  /// Takes back a chunk the worker has finished with and emptied (``DatagramChunk/removeAll()``
  /// keeps its buffers); dropped when enough spares are kept already.
  func recycle(_ chunk: consuming DatagramChunk) {
    condition.lock()
    if spares.count < Self.maxSpares { spares.append(chunk) }
    condition.unlock()
  }

  /// Refuses further chunks and wakes the worker; queued chunks are still delivered.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}
