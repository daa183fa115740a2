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

extension DatagramFrames {
  /// What the frame benchmarks take on the command line: `TOOL FILE [PASSES]`, the frames
  /// file and the number of passes (3 unless given). Prints the usage line and exits with
  /// status 2 when the file is missing or unreadable.
  public static func commandLine(tool: String) -> (frames: DatagramFrames, passes: Int) {
    let args = CommandLine.arguments
    guard args.count >= 2, let file = DatagramFrames(path: args[1]) else {
      print("usage: \(tool) FILE [PASSES]")
      exit(2)
    }
    return (file, args.count > 2 ? Int(args[2]) ?? 3 : 3)
  }
}
