/// A deterministic synthetic IPFIX exporter for demos, tests and benchmarks.
///
/// The same seed gives the same byte stream. Messages carry IPv4 records (template 256, with
/// applicationName and httpRequestHost as variable-length fields) and, one in eight, IPv6
/// records (template 257); the templates are sent in the first message and then every
/// `templateInterval` messages. Sequence numbers count data records (RFC 7011).
public struct SyntheticExporter: Sendable {
  /// Template id of the IPv4 records.
  public static let ipv4TemplateID: UInt16 = 256
  /// Template id of the IPv6 records.
  public static let ipv6TemplateID: UInt16 = 257

  private var rng: UInt64
  private let domain: UInt32
  private let templateInterval: Int
  private var clock: Int64
  private var sequence: UInt32 = 0
  private var messages = 0
  /// Data records generated so far.
  public private(set) var recordsGenerated = 0

  private static let apps = ["http", "https", "dns", "ssh", "ntp", "smtp", "quic", "imaps"]
  private static let hosts = [
    "example.com", "api.example.net", "cdn.example.org", "mail.example.com", "www.example.edu",
  ]
  private static let ports: [UInt16] = [443, 80, 53, 22, 123, 25, 8080, 993]

  /// Creates an exporter. `startMillis` is the first flow's start time; `domain` the
  /// observation domain id.
  public init(
    seed: UInt64, domain: UInt32 = 1, startMillis: Int64 = 1_700_000_000_000,
    templateInterval: Int = 32
  ) {
    self.rng = seed &+ 0x9E37_79B9_7F4A_7C15
    self.domain = domain
    self.clock = startMillis
    self.templateInterval = max(1, templateInterval)
  }

  private mutating func next() -> UInt64 {
    rng &+= 0x9E37_79B9_7F4A_7C15
    var z = rng
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }

  /// The next IPFIX message with `records` data records (at most 40 so that it fits a
  /// 1500-byte MTU). Returns the datagram bytes.
  public mutating func nextDatagram(records: Int) -> [UInt8] {
    let n = min(max(records, 1), 40)
    var w = ByteWriter()
    // Header, length patched at the end.
    w.u16(10)
    w.u16(0)
    w.u32(UInt32(truncatingIfNeeded: clock / 1000))
    w.u32(sequence)
    w.u32(domain)
    if messages % templateInterval == 0 { writeTemplates(&w) }
    var v4: [[UInt8]] = []
    var v6: [[UInt8]] = []
    for _ in 0..<n {
      if next() % 8 == 0 { v6.append(record(v6: true)) } else { v4.append(record(v6: false)) }
    }
    for (tid, recs) in [(Self.ipv4TemplateID, v4), (Self.ipv6TemplateID, v6)] where !recs.isEmpty {
      let body = recs.reduce(0) { $0 + $1.count }
      w.u16(tid)
      w.u16(UInt16(4 + body))
      for r in recs { w.bytes(r) }
    }
    let length = w.out.count
    w.out[2] = UInt8(length >> 8)
    w.out[3] = UInt8(length & 0xFF)
    sequence &+= UInt32(n)
    recordsGenerated += n
    messages += 1
    return w.out
  }

  private func writeTemplates(_ w: inout ByteWriter) {
    let common: [(UInt16, UInt16)] = [
      (7, 2), (11, 2), (4, 1), (6, 1), (1, 8), (2, 8), (152, 8), (153, 8), (10, 4), (14, 4),
    ]
    let t4: [(UInt16, UInt16)] = [(8, 4), (12, 4)] + common + [(96, 65535), (460, 65535)]
    let t6: [(UInt16, UInt16)] = [(27, 16), (28, 16)] + common
    var set = ByteWriter()
    for (tid, fields) in [(Self.ipv4TemplateID, t4), (Self.ipv6TemplateID, t6)] {
      set.u16(tid)
      set.u16(UInt16(fields.count))
      for (id, len) in fields {
        set.u16(id)
        set.u16(len)
      }
    }
    w.u16(2)
    w.u16(UInt16(4 + set.out.count))
    w.bytes(set.out)
  }

  private mutating func record(v6: Bool) -> [UInt8] {
    var w = ByteWriter()
    if v6 {
      w.u64(0x2001_0DB8_0000_0000)
      w.u64(next() % 4096 + 1)
      w.u64(0x2001_0DB8_0001_0000)
      w.u64(next() % 4096 + 1)
    } else {
      w.u32(0x0A00_0000 | UInt32(next() % 65536))
      w.u32(0xC633_6400 | UInt32(next() % 256))
    }
    let dport = pick(Self.ports)
    w.u16(UInt16(1024 + next() % 60000))
    w.u16(dport)
    let proto: UInt8 = dport == 53 || dport == 123 ? 17 : 6
    w.u8(proto)
    w.u8(proto == 6 ? 0x1B : 0)
    let packets = next() % 1000 + 1
    w.u64(packets * (40 + next() % 1400))
    w.u64(packets)
    clock += Int64(next() % 50)
    let start = clock
    w.u64(UInt64(start))
    w.u64(UInt64(start + Int64(next() % 30_000)))
    w.u32(UInt32(next() % 8 + 1))
    w.u32(UInt32(next() % 8 + 1))
    if !v6 {
      for s in [pick(Self.apps), pick(Self.hosts)] {
        let u = Array(s.utf8)
        w.u8(UInt8(u.count))
        w.bytes(u)
      }
    }
    return w.out
  }
}
