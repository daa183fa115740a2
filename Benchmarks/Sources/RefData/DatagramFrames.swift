import Foundation

/// A frames file (`[u32 LE length][datagram]...`, as `shared/bench/gen_ipfix.py` writes) read
/// whole: the bytes and each datagram's range in them. A truncated last frame is left out.
public struct DatagramFrames {
  /// The file's bytes.
  public let bytes: [UInt8]
  /// Each datagram's bytes within ``bytes``.
  public let ranges: [Range<Int>]

  /// Reads the file at `path`; nil when it cannot be read.
  public init?(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    bytes = [UInt8](data)
    var ranges: [Range<Int>] = []
    var o = 0
    while o + 4 <= bytes.count {
      let len =
        Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
      guard o + 4 + len <= bytes.count else { break }
      ranges.append((o + 4)..<(o + 4 + len))
      o += 4 + len
    }
    self.ranges = ranges
  }
}
