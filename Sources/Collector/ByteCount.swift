/// Byte counts as the collector's notices print them.
enum ByteCount {
  /// `bytes` in KiB below 1 MiB, else in MiB, with one decimal ("416.0 KiB", "128.0 MiB").
  static func text(_ bytes: Int) -> String {
    let kib = Double(bytes) / 1024
    let (value, unit) = kib < 1024 ? (kib, "KiB") : (kib / 1024, "MiB")
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(unit)"
  }
}
