#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A C library error number, as a value: built from the C library's constants, rendered with
/// its `strerror` text.
public struct Errno: Sendable, Hashable, CustomStringConvertible {
  /// The number (`ENOENT`, `ENOSPC`, ...).
  public let rawValue: Int32

  /// The error `rawValue`.
  public init(_ rawValue: Int32) { self.rawValue = rawValue }

  /// The calling thread's `errno`, right after a failed system call.
  public static var current: Errno { Errno(errno) }

  /// `ENOENT`: no such file or directory.
  public static let noSuchFile = Errno(ENOENT)
  /// `EIO`: input/output error (also: a read returned less than the file holds).
  public static let io = Errno(EIO)
  /// `ENOSPC`: no space left on device.
  public static let noSpace = Errno(ENOSPC)
  /// `EDQUOT`: disk quota exceeded.
  public static let quotaExceeded = Errno(EDQUOT)
  /// `EOPNOTSUPP`: operation not supported.
  public static let notSupported = Errno(EOPNOTSUPP)
  /// `EINVAL`: invalid argument.
  public static let invalid = Errno(EINVAL)

  /// True when the disk (or the quota) is full.
  public var isDiskFull: Bool { self == .noSpace || self == .quotaExceeded }

  /// The C library's message, lower-cased to sit inside a sentence ("no space left on device").
  public var description: String {
    guard let text = strerror(rawValue) else { return "errno \(rawValue)" }
    let s = String(cString: text)
    guard let first = s.first, s.dropFirst().first?.isLowercase ?? true else { return s }
    return first.lowercased() + s.dropFirst()
  }
}
