#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads an IPFIX file (RFC 5655): IPFIX messages back to back, each sized by its header's
/// length field.
public struct IPFIXFileReader: Sendable {
  /// The file's bytes.
  public let bytes: [UInt8]
  private var offset = 0
  /// Bytes at the end that did not form a message (truncated file or garbage).
  public private(set) var trailingBytes = 0

  /// Reads the whole file at `path`.
  ///
  /// - Throws: ``CaptureError/read(_:)`` when the file cannot be opened or read.
  public init(path: String) throws(CaptureError) {
    guard let f = fopen(path, "rb") else { throw .read("cannot open \(path)") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
      if n > 0 { out += chunk[0..<n] }
      if n < chunk.count {
        if ferror(f) != 0 { throw .read("error reading \(path)") }
        break
      }
    }
    bytes = out
  }

  /// Wraps bytes already in memory.
  public init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The next message, or nil at the end (or at a length that cannot be a message).
  public mutating func next() -> ArraySlice<UInt8>? {
    let remain = bytes.count - offset
    guard remain >= 16 else {
      trailingBytes = remain
      return nil
    }
    let version = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    guard version == 10, length >= 16, length <= remain else {
      trailingBytes = remain
      return nil
    }
    defer { offset += length }
    return bytes[offset..<offset + length]
  }
}
