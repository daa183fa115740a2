/// A read-only mapping of a whole segment file, kept by its reader for its lifetime.
///
/// Sendable because the bytes never change: segments are immutable once named in the catalog,
/// the mapping is `PROT_READ`, and it is unmapped only when its reader is deinitialised, after
/// the last scan unit holding the reader is gone. The address is kept as an integer so that the
/// struct holds no pointer that the compiler would have to trust across threads.
struct MappedBytes: Sendable {
  private let address: UInt
  private let count: Int

  init(_ bytes: UnsafeRawBufferPointer) {
    address = UInt(bitPattern: bytes.baseAddress)
    count = bytes.count
  }

  /// The mapped bytes.
  var bytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count)
  }
}
