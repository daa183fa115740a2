/// Appends to a file opened for direct I/O (``FileSystem/openDirect(_:)``) through one aligned
/// staging buffer, so the bytes reach the device without a copy into the page cache.
///
/// Direct writes must be whole blocks at block offsets. The appender copies what it is given
/// into the staging buffer, writes every buffer that fills, and at the end of each
/// ``append(_:)`` writes the last, partial block padded with zeros. That block stays staged, and
/// the next append rewrites it with more bytes after the old ones: the bytes before the logical
/// end never change, and the file is longer than ``length`` only by zeros (fewer than a block).
///
/// Rewriting a block keeps the earlier bytes safe under the usual guarantee that a sector is
/// written whole or not at all: both the old and the new sector hold them.
final class DirectAppender {
  /// The alignment of direct writes: buffer address, file offset and length.
  static let block = 4096
  /// The staging buffer's size: the most written by one `pwrite`.
  static let capacity = 1 << 20

  let fs: any FileSystem
  let fd: Int32
  let path: String
  private let buffer: UnsafeMutableRawPointer
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
    buffer = .allocate(byteCount: Self.capacity, alignment: Self.block)
    try reset(to: length)
  }

  deinit { buffer.deallocate() }

  /// Appends `buffers`, in order. After a failure the file may hold part of them past
  /// ``length``, which is unchanged: the next append writes over them (the caller may also cut
  /// the file back to ``length``).
  func append(_ buffers: [UnsafeRawBufferPointer]) throws(StorageError) {
    if !ready { try reset(to: length) }
    do throws(StorageError) {
      for b in buffers where b.count > 0 {
        var done = 0
        while done < b.count {
          let n = min(b.count - done, Self.capacity - staged)
          (buffer + staged).copyMemory(from: b.baseAddress! + done, byteCount: n)
          staged += n
          done += n
          if staged == Self.capacity {
            try write(Self.capacity)
            base += Self.capacity
            staged = 0
          }
        }
      }
      guard staged > 0 else {
        length = base
        return
      }
      let padded = (staged + Self.block - 1) & ~(Self.block - 1)
      (buffer + staged).initializeMemory(as: UInt8.self, repeating: 0, count: padded - staged)
      try write(padded)
      // Keep only the partial last block staged, at the front of the buffer.
      let whole = staged & ~(Self.block - 1)
      if whole > 0 {
        buffer.copyMemory(from: buffer + whole, byteCount: staged - whole)
        base += whole
        staged -= whole
      }
      length = base + staged
    } catch {
      ready = false
      try? reset(to: length)
      throw error
    }
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
      if got < staged { throw .system(operation: "read", path: path, errno: 5) }
    }
    ready = true
  }

  private func write(_ count: Int) throws(StorageError) {
    try fs.pwrite(fd, UnsafeRawBufferPointer(start: buffer, count: count), offset: base, path: path)
  }
}
