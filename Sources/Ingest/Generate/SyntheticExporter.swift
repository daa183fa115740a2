/// A deterministic synthetic IPFIX exporter for demos, tests and benchmarks.
///
/// The same seed gives the same byte stream. Messages carry IPv4 records (template 256, with
/// applicationName and httpRequestHost as variable-length fields) and, one in eight, IPv6
/// records (template 257); the templates are sent in the first message and then every
/// `templateInterval` messages. Sequence numbers count data records (RFC 7011).
///
/// The flows do not depend on how they are cut into messages: ``nextBatch(records:exporter:reusing:)``
/// gives the rows that decoding the same flows' datagrams gives, without the datagrams.
public struct SyntheticExporter: Sendable {
  /// Template id of the IPv4 records.
  public static let ipv4TemplateID: UInt16 = 256
  /// Template id of the IPv6 records.
  public static let ipv6TemplateID: UInt16 = 257

  private var rng: UInt64
  /// The observation domain id.
  let domain: UInt32
  private let templateInterval: Int
  /// The first flow's start (ms) and how far the flows have advanced past it, in steps of
  /// 1 / `unitsPerMillisecond` ms; each flow advances by `next() % stepModulus` steps.
  private let origin: Int64
  private var advance: Int64 = 0
  private let stepModulus: UInt64
  private let unitsPerMillisecond: Int64
  private var sequence: UInt32 = 0
  private var messages = 0
  /// Data records generated so far.
  public internal(set) var recordsGenerated = 0

  /// Creates an exporter. `startMillis` is the first flow's start time; `domain` the
  /// observation domain id. Flow starts advance 0 to 49 ms from one flow to the next (24.5 ms
  /// on average); with `stepMicros`, 0 to 2 × `stepMicros` − 1 µs (about `stepMicros` on
  /// average), so that N flows span about N × `stepMicros` µs.
  public init(
    seed: UInt64, domain: UInt32 = 1, startMillis: Int64 = 1_700_000_000_000,
    templateInterval: Int = 32, stepMicros: Int64? = nil
  ) {
    self.rng = seed &+ 0x9E37_79B9_7F4A_7C15
    self.domain = domain
    self.origin = startMillis
    self.templateInterval = max(1, templateInterval)
    if let stepMicros {
      stepModulus = UInt64(max(1, 2 * stepMicros))
      unitsPerMillisecond = 1000
    } else {
      stepModulus = 50
      unitsPerMillisecond = 1
    }
  }

  /// The start time of the last flow generated (the first flow's before any), ms.
  private var clock: Int64 { origin + advance / unitsPerMillisecond }

  private mutating func next() -> UInt64 {
    rng &+= 0x9E37_79B9_7F4A_7C15
    var z = rng
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private mutating func pick(_ count: Int) -> Int { Int(next() % UInt64(count)) }

  /// The next flow of the stream.
  mutating func nextFlow() -> SyntheticFlow {
    let v6 = next() % 8 == 0
    let source: UInt64
    let destination: UInt64
    if v6 {
      source = next() % 4096 + 1
      destination = next() % 4096 + 1
    } else {
      source = 0x0A00_0000 | next() % 65536
      destination = 0xC633_6400 | next() % 256
    }
    let dport = SyntheticFlow.ports[pick(SyntheticFlow.ports.count)]
    let sport = UInt16(1024 + next() % 60000)
    let proto: UInt8 = dport == 53 || dport == 123 ? 17 : 6
    let packets = next() % 1000 + 1
    let bytes = packets * (40 + next() % 1400)
    advance += Int64(next() % stepModulus)
    let start = clock
    let end = start + Int64(next() % 30_000)
    let inIf = UInt32(next() % 8 + 1)
    let outIf = UInt32(next() % 8 + 1)
    var app = 0
    var host = 0
    if !v6 {
      app = pick(SyntheticFlow.apps.count)
      host = pick(SyntheticFlow.hosts.count)
    }
    return SyntheticFlow(
      v6: v6, source: source, destination: destination, sourcePort: sport,
      destinationPort: dport, proto: proto, tcpFlags: proto == 6 ? 0x1B : 0, bytes: bytes,
      packets: packets, start: start, end: end, inputInterface: inIf, outputInterface: outIf,
      app: app, host: host)
  }

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
    var v4 = ByteWriter()
    var v6 = ByteWriter()
    for _ in 0..<n {
      let f = nextFlow()
      if f.v6 { Self.write(f, to: &v6) } else { Self.write(f, to: &v4) }
    }
    for (tid, set) in [(Self.ipv4TemplateID, v4), (Self.ipv6TemplateID, v6)]
    where !set.out.isEmpty {
      w.u16(tid)
      w.u16(UInt16(4 + set.out.count))
      w.bytes(set.out)
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

  /// Writes `f` as a data record of its template.
  private static func write(_ f: SyntheticFlow, to w: inout ByteWriter) {
    if f.v6 {
      w.u64(SyntheticFlow.v6SourceHigh)
      w.u64(f.source)
      w.u64(SyntheticFlow.v6DestinationHigh)
      w.u64(f.destination)
    } else {
      w.u32(UInt32(f.source))
      w.u32(UInt32(f.destination))
    }
    w.u16(f.sourcePort)
    w.u16(f.destinationPort)
    w.u8(f.proto)
    w.u8(f.tcpFlags)
    w.u64(f.bytes)
    w.u64(f.packets)
    w.u64(UInt64(f.start))
    w.u64(UInt64(f.end))
    w.u32(f.inputInterface)
    w.u32(f.outputInterface)
    if !f.v6 {
      for s in [SyntheticFlow.apps[f.app], SyntheticFlow.hosts[f.host]] {
        let u = Array(s.utf8)
        w.u8(UInt8(u.count))
        w.bytes(u)
      }
    }
  }
}
