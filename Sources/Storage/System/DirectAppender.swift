/// Appends records to a file opened for direct I/O (``FileSystem/openDirect(_:)``) through one
/// aligned staging buffer, so the bytes reach the device without a copy into the page cache.
///
/// Direct writes must be whole blocks at block offsets. Each ``append(_:finish:)`` copies one
/// record into the staging buffer (grown to fit it), lets the caller finish it in place (a
/// checksum over the staged bytes reads them from cache, not from the scattered sources), and
/// writes everything staged in one `pwrite`, the last, partial block padded with zeros. That
/// block stays staged, and the next append rewrites it with more bytes after the old ones: the
/// bytes before the logical end never change, and the file is longer than ``length`` only by
/// zeros (fewer than a block).
///
/// Rewriting a block keeps the earlier bytes safe under the usual guarantee that a sector is
/// written whole or not at all: both the old and the new sector hold them.
final class DirectAppender {
  /// The alignment of direct writes: buffer address, file offset and length.
  static let block = 4096
  /// The staging buffer's first size; it grows to fit the largest record so far (fresh memory
  /// costs a page fault per page, so it is kept), and shrinks back only after a record larger
  /// than ``keepLimit``.
  static let capacity = 1 << 20
  /// The largest staging buffer kept between appends.
  static let keepLimit = 64 << 20

  let fs: any FileSystem
  private(set) var fd: Int32
  private(set) var path: String
  private var buffer: UnsafeMutableRawPointer
  private var capacity: Int
  /// File offset of `buffer[0]` (a multiple of ``block``).
  private var base = 0
  /// Bytes staged in `buffer` (valid data, before the padding).
  private var staged = 0
  /// False after a failed write until the staged block is read back (``reset(to:)``).
  private var ready = false

  /// The logical length of the file: every byte appended, without the padding.
  private(set) var length: Int

  /// Takes over `fd` (opened with ``FileSystem/openDirect(_:)``), whose first `length` bytes are
  /// valid; the partial block at the end is read back so appends continue after it.
  init(fs: any FileSystem, fd: Int32, path: String, length: Int) throws(StorageError) {
    self.fs = fs
    self.fd = fd
    self.path = path
    self.length = length
    capacity = Self.capacity
    buffer = .allocate(byteCount: capacity, alignment: Self.block)
    try reset(to: length)
  }

  deinit { buffer.deallocate() }

  /// Appends one record made of `buffers`, in order. `finish` gets the staged record (their
  /// bytes, contiguous) and may change it before it is written. After a failure ``length`` is
  /// unchanged and the file may hold part of the record past it: the next append writes over
  /// it (the caller may also cut the file back to ``length``).
  func append(
    _ buffers: [UnsafeRawBufferPointer],
    finish: (UnsafeMutableRawBufferPointer) -> Void = { _ in }
  ) throws(StorageError) {
    if !ready { try reset(to: length) }
    let total = buffers.reduce(0) { $0 + $1.count }
    guard total > 0 else { return }
    let start = staged
    reserve(start + total)
    for b in buffers where b.count > 0 {
      (buffer + staged).copyMemory(from: b.baseAddress!, byteCount: b.count)
      staged += b.count
    }
    finish(UnsafeMutableRawBufferPointer(start: buffer + start, count: total))
    let padded = Self.roundUp(staged)
    (buffer + staged).initializeMemory(as: UInt8.self, repeating: 0, count: padded - staged)
    do throws(StorageError) {
      try fs.pwrite(
        fd, UnsafeRawBufferPointer(start: buffer, count: padded), offset: base, path: path)
    } catch {
      // Stages the old end again; when that read fails too, the next append retries it.
      try? reset(to: length)
      throw error
    }
    // Keep only the partial last block staged, at the front of the buffer.
    let whole = staged & ~(Self.block - 1)
    if whole > 0 {
      buffer.copyMemory(from: buffer + whole, byteCount: staged - whole)
      base += whole
      staged -= whole
    }
    length = base + staged
    if capacity > Self.keepLimit { resize(to: Self.capacity) }
  }

  /// Goes on appending to another file (`fd` from ``FileSystem/openDirect(_:)``, `length`
  /// valid bytes), keeping the staging buffer and the pages already faulted in for it. The old
  /// descriptor is the caller's to close.
  func switchFile(fd: Int32, path: String, length: Int) throws(StorageError) {
    self.fd = fd
    self.path = path
    try reset(to: length)
  }

  /// Sets the logical end to `length` (at most the bytes written) and stages the partial block
  /// there, read back from the file (one aligned block read).
  func reset(to length: Int) throws(StorageError) {
    ready = false
    self.length = length
    base = length & ~(Self.block - 1)
    staged = length - base
    if staged > 0 {
      let got = try fs.pread(
        fd, UnsafeMutableRawBufferPointer(start: buffer, count: Self.block), offset: base,
        path: path)
      if got < staged { throw .system(operation: "read", path: path, errno: .io) }
    }
    ready = true
  }

  /// `bytes` rounded up to a whole number of blocks.
  static func roundUp(_ bytes: Int) -> Int { (bytes + block - 1) & ~(block - 1) }

  /// Grows the buffer to hold `bytes` plus the padding of their last block.
  private func reserve(_ bytes: Int) {
    let needed = Self.roundUp(bytes)
    if needed > capacity { resize(to: max(needed, 2 * capacity)) }
  }

  /// Moves the staged bytes to a new buffer of `newCapacity` bytes.
  private func resize(to newCapacity: Int) {
    let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: Self.block)
    fresh.copyMemory(from: buffer, byteCount: staged)
    buffer.deallocate()
    buffer = fresh
    capacity = newCapacity
  }
}
