import Storage

/// A UDP datagram found in a captured frame.
public struct CapturedDatagram: Sendable, Equatable {
  /// The sender's IP address (the exporter).
  public var exporter: IPAddress
  /// The UDP source port.
  public var sourcePort: UInt16
  /// The UDP destination port.
  public var destinationPort: UInt16
  /// The UDP payload.
  public var payload: [UInt8]
  /// The capture time in ms since the epoch.
  public var timestampMillis: Int64

  /// Creates a datagram.
  public init(
    exporter: IPAddress, sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8],
    timestampMillis: Int64
  ) {
    self.exporter = exporter
    self.sourcePort = sourcePort
    self.destinationPort = destinationPort
    self.payload = payload
    self.timestampMillis = timestampMillis
  }
}

/// Finds the UDP payload in a captured frame: Ethernet (with 802.1Q/802.1ad tags), Linux cooked
/// (SLL, SLL2), raw IP, BSD loopback; IPv4 (first fragments only) and IPv6 (extension headers
/// skipped). Pure Swift, no libpcap.
public enum PacketParser {
  /// libpcap link-layer types understood by ``udp(linkType:frame:)``.
  public enum LinkType {
    public static let null: Int32 = 0
    public static let ethernet: Int32 = 1
    public static let raw: Int32 = 12
    public static let rawAlt: Int32 = 14
    public static let loop: Int32 = 108
    public static let linuxSLL: Int32 = 113
    public static let linkTypeRaw: Int32 = 101
    public static let ipv4: Int32 = 228
    public static let ipv6: Int32 = 229
    public static let linuxSLL2: Int32 = 276
  }

  /// The UDP datagram in `frame`, or nil when it holds none (other protocols, later fragments,
  /// truncated headers). The UDP length is trusted only when consistent with the capture.
  public static func udp(linkType: Int32, frame: UnsafeRawBufferPointer)
    -> (source: IPAddress, sourcePort: UInt16, destinationPort: UInt16, payload: Range<Int>)?
  {
    guard let p = frame.baseAddress else { return nil }
    let n = frame.count
    var off: Int
    var etherType: UInt16
    switch linkType {
    case LinkType.ethernet:
      guard n >= 14 else { return nil }
      off = 14
      etherType = BigEndian.u16(p, 12)
    case LinkType.linuxSLL:
      guard n >= 16 else { return nil }
      off = 16
      etherType = BigEndian.u16(p, 14)
    case LinkType.linuxSLL2:
      guard n >= 20 else { return nil }
      off = 20
      etherType = BigEndian.u16(p, 0)
    case LinkType.raw, LinkType.rawAlt, LinkType.linkTypeRaw, LinkType.ipv4, LinkType.ipv6:
      guard n >= 1 else { return nil }
      off = 0
      etherType = BigEndian.u8(p, 0) >> 4 == 6 ? 0x86DD : 0x0800
    case LinkType.null, LinkType.loop:
      guard n >= 5 else { return nil }
      off = 4
      etherType = BigEndian.u8(p, 4) >> 4 == 6 ? 0x86DD : 0x0800
    default:
      return nil
    }
    // VLAN tags (802.1Q, 802.1ad, QinQ).
    while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
      guard n - off >= 4 else { return nil }
      etherType = BigEndian.u16(p, off + 2)
      off += 4
    }
    var source: IPAddress
    var end = n
    switch etherType {
    case 0x0800:
      guard n - off >= 20, BigEndian.u8(p, off) >> 4 == 4 else { return nil }
      let ihl = Int(BigEndian.u8(p, off) & 0x0F) * 4
      let total = Int(BigEndian.u16(p, off + 2))
      let frag = BigEndian.u16(p, off + 6)
      guard ihl >= 20, n - off >= ihl, BigEndian.u8(p, off + 9) == 17, frag & 0x1FFF == 0 else {
        return nil
      }
      if total >= ihl, total <= n - off { end = off + total }
      source = IPAddress(v4: BigEndian.u32(p, off + 12))
      off += ihl
    case 0x86DD:
      guard n - off >= 40, BigEndian.u8(p, off) >> 4 == 6 else { return nil }
      let payloadLength = Int(BigEndian.u16(p, off + 4))
      var next = BigEndian.u8(p, off + 6)
      let (h, l) = BigEndian.ipv6(p, off + 8)
      source = IPAddress(high: h, low: l)
      if payloadLength > 0, payloadLength <= n - off - 40 { end = off + 40 + payloadLength }
      off += 40
      var hops = 0
      while next != 17 {
        hops += 1
        guard hops < 16, end - off >= 8 else { return nil }
        switch next {
        case 0, 43, 60:
          let len = (Int(BigEndian.u8(p, off + 1)) + 1) * 8
          next = BigEndian.u8(p, off)
          off += len
        case 44:
          guard BigEndian.u16(p, off + 2) & 0xFFF8 == 0 else { return nil }  // later fragment
          next = BigEndian.u8(p, off)
          off += 8
        default:
          return nil
        }
      }
    default:
      return nil
    }
    guard end - off >= 8 else { return nil }
    let sport = BigEndian.u16(p, off)
    let dport = BigEndian.u16(p, off + 2)
    let udpLength = Int(BigEndian.u16(p, off + 4))
    let start = off + 8
    let stop = udpLength >= 8 && udpLength <= end - off ? off + udpLength : end
    return (source, sport, dport, start..<stop)
  }
}
