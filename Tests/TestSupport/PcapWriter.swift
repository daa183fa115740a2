import Foundation

/// Writes UDP/IPv4 datagrams as an Ethernet pcap file (so tshark can dissect raw payloads).
public struct PcapWriter {
  private(set) var bytes: [UInt8] = []

  public init() {
    le32(0xA1B2_C3D4)
    le16(2)
    le16(4)
    le32(0)
    le32(0)
    le32(65535)
    le32(1)  // Ethernet
  }

  private mutating func le16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  private mutating func le32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }

  /// Appends one datagram from `src` (IPv4, host order) to 127.0.0.1:`port`.
  public mutating func add(
    _ payload: [UInt8], src: UInt32, port: UInt16, time: UInt32 = 1_700_000_000
  ) {
    var frame: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00]
    let total = 20 + 8 + payload.count
    var ip: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0]
    ip += [UInt8(src >> 24), UInt8(src >> 16 & 0xFF), UInt8(src >> 8 & 0xFF), UInt8(src & 0xFF)]
    ip += [127, 0, 0, 1]
    var sum: UInt32 = 0
    for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(ip[i]) << 8 | UInt32(ip[i + 1]) }
    while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
    let ck = ~UInt16(sum)
    ip[10] = UInt8(ck >> 8)
    ip[11] = UInt8(ck & 0xFF)
    let ulen = 8 + payload.count
    let udp: [UInt8] = [
      0x30, 0x39, UInt8(port >> 8), UInt8(port & 0xFF), UInt8(ulen >> 8), UInt8(ulen & 0xFF), 0, 0,
    ]
    frame += ip + udp + payload
    le32(time)
    le32(0)
    le32(UInt32(frame.count))
    le32(UInt32(frame.count))
    bytes += frame
  }

  public func write(to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }
}

/// Splits a buffer of back-to-back v5 or IPFIX messages into messages (v9 has no length, so a
/// v9 buffer is one message). Unsplittable rest stays attached to the last message.
public func splitMessages(_ b: [UInt8]) -> [[UInt8]] {
  var out: [[UInt8]] = []
  var o = 0
  while b.count - o >= 4 {
    let version = Int(b[o]) << 8 | Int(b[o + 1])
    var len = b.count - o
    if version == 10 {
      let l = Int(b[o + 2]) << 8 | Int(b[o + 3])
      if l >= 16 && l <= len { len = l }
    } else if version == 5 {
      let l = 24 + (Int(b[o + 2]) << 8 | Int(b[o + 3])) * 48
      if l <= len && l > 24 { len = l }
    }
    out.append(Array(b[o..<o + len]))
    o += len
  }
  if o < b.count {
    if out.isEmpty { out.append(Array(b[o...])) } else { out[out.count - 1] += b[o...] }
  }
  return out
}
