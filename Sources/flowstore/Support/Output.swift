#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one writer of the `flowstore` commands: results and notices to standard output, errors
/// to standard error, each written whole (retried on EINTR) without stdio buffering.
enum Output {
  /// Writes `s` to standard output as is.
  static func write(_ s: String) {
    writeAll(1, s)
  }

  /// Writes `s` and a newline to standard output.
  static func line(_ s: String) {
    writeAll(1, s + "\n")
  }

  /// Writes `s` and a newline to standard error.
  static func error(_ s: String) {
    writeAll(2, s + "\n")
  }

  private static func writeAll(_ fd: Int32, _ s: String) {
    var bytes = Array(s.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      bytes = bytes.dropFirst(n)
    }
  }
}
