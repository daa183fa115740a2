#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one clock of FlowStore: wall time for what is stored and shown, monotonic time for
/// durations and pacing.
public enum SystemClock {
  /// Wall-clock milliseconds since the Unix epoch (`CLOCK_REALTIME`).
  public static func wallMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
  }

  /// Nanoseconds on the monotonic clock (`CLOCK_MONOTONIC`): only differences mean anything.
  public static func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }

  /// Seconds on the monotonic clock: only differences mean anything.
  public static func monotonicSeconds() -> Double {
    Double(monotonicNanoseconds()) / 1e9
  }
}
