/// The persisted form shared by ``ExporterReport`` and ``CollectorSummary``: a magic, a field
/// count u8, then the fields as u64 each. Readers of a newer form ignore fields they do not
/// know; fields an older form lacks read as zero.
enum CounterEncoding {
  /// `magic`, then the count and the values of `fields`.
  static func encode(magic: [UInt8], _ fields: [UInt64]) -> [UInt8] {
    var w = ByteWriter()
    w.bytes(magic)
    w.u8(UInt8(fields.count))
    for v in fields { w.u64(v) }
    return w.out
  }

  /// The fields of `bytes`, padded with zeros to at least `count`; nil when `bytes` does not
  /// start with `magic` or is cut short.
  static func decode(_ bytes: [UInt8], magic: [UInt8], count: Int) -> [UInt64]? {
    var r = ByteReader(bytes)
    guard (try? r.take(magic.count)) == magic, let n = try? r.u8() else { return nil }
    var v: [UInt64] = []
    for _ in 0..<n {
      guard let x = try? r.u64() else { return nil }
      v.append(x)
    }
    return v + [UInt64](repeating: 0, count: max(0, count - v.count))
  }
}
