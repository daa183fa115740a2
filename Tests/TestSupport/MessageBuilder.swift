import Storage

/// Builds NetFlow v9 / IPFIX messages by hand for parser-level tests.
public struct MessageBuilder {
  public var bytes: [UInt8] = []

  /// An empty message.
  public init() {}

  public mutating func u8(_ v: UInt8) { bytes.append(v) }
  public mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xFF)] }
  public mutating func u32(_ v: UInt32) {
    u16(UInt16(v >> 16))
    u16(UInt16(v & 0xFFFF))
  }
  public mutating func u64(_ v: UInt64) {
    u32(UInt32(v >> 32))
    u32(UInt32(v & 0xFFFF_FFFF))
  }
  public mutating func raw(_ b: [UInt8]) { bytes += b }

  /// A field specifier: (id, length, enterprise).
  public typealias Field = (id: UInt16, length: UInt16, pen: UInt32)

  public static func ipfix(
    exportTime: UInt32 = 1_700_000_000, sequence: UInt32 = 0, domain: UInt32 = 1,
    sets: [[UInt8]]
  ) -> [UInt8] {
    var m = MessageBuilder()
    let body = sets.reduce([], +)
    m.u16(10)
    m.u16(UInt16(16 + body.count))
    m.u32(exportTime)
    m.u32(sequence)
    m.u32(domain)
    m.raw(body)
    return m.bytes
  }

  public static func v9(
    uptime: UInt32, unixSecs: UInt32, sequence: UInt32 = 0, source: UInt32 = 0,
    sets: [[UInt8]]
  ) -> [UInt8] {
    var m = MessageBuilder()
    m.u16(9)
    m.u16(UInt16(sets.count))
    m.u32(uptime)
    m.u32(unixSecs)
    m.u32(sequence)
    m.u32(source)
    m.raw(sets.reduce([], +))
    return m.bytes
  }

  public static func set(_ id: UInt16, _ body: [UInt8]) -> [UInt8] {
    var m = MessageBuilder()
    m.u16(id)
    m.u16(UInt16(4 + body.count))
    m.raw(body)
    return m.bytes
  }

  /// An IPFIX template record (enterprise bit set when pen != 0), or a v9 one.
  public static func template(_ id: UInt16, _ fields: [Field], v9: Bool = false) -> [UInt8] {
    var m = MessageBuilder()
    m.u16(id)
    m.u16(UInt16(fields.count))
    for f in fields {
      m.u16(f.pen != 0 && !v9 ? f.id | 0x8000 : f.id)
      m.u16(f.length)
      if f.pen != 0 && !v9 { m.u32(f.pen) }
    }
    return m.bytes
  }

  public static func optionsTemplate(_ id: UInt16, scope: [Field], fields: [Field]) -> [UInt8] {
    var m = MessageBuilder()
    m.u16(id)
    m.u16(UInt16(scope.count + fields.count))
    m.u16(UInt16(scope.count))
    for f in scope + fields {
      m.u16(f.id)
      m.u16(f.length)
    }
    return m.bytes
  }
}
