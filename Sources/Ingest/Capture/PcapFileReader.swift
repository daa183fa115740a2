import CPcap
import Storage

/// Why a capture file could not be read.
public enum CaptureError: Error, Sendable, Equatable {
  /// libpcap could not open the file (its message).
  case open(String)
  /// The file could not be read.
  case read(String)
}

/// Reads a pcap or pcapng file through libpcap and yields the UDP datagrams sent to the given
/// ports, with the packet's source address as exporter.
///
/// Not Sendable: use it from one task.
public final class PcapFileReader {
  /// The flow export ports read by default.
  public static let defaultPorts: Set<UInt16> = [2055, 4739, 9995, 9996]

  private var handle: OpaquePointer?
  private let linkType: Int32
  private let ports: Set<UInt16>?
  /// Packets read that were not UDP to a selected port (or were unparseable).
  public private(set) var skippedPackets = 0
  /// Frames read so far: after ``next()`` returns, the 1-based number of its frame.
  public private(set) var framesRead = 0

  /// Opens `path`. `ports` selects UDP destination ports; nil accepts every UDP datagram.
  ///
  /// - Throws: ``CaptureError/open(_:)`` when libpcap cannot open the file.
  public init(path: String, ports: Set<UInt16>? = PcapFileReader.defaultPorts)
    throws(CaptureError)
  {
    var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
    guard let h = pcap_open_offline(path, &errbuf) else {
      let message = errbuf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      throw .open(message)
    }
    handle = h
    linkType = pcap_datalink(h)
    self.ports = ports
  }

  deinit {
    if let handle { pcap_close(handle) }
  }

  /// The next UDP datagram on a selected port, or nil at the end of the file.
  public func next() -> CapturedDatagram? {
    guard let handle else { return nil }
    var header: UnsafeMutablePointer<pcap_pkthdr>?
    var data: UnsafePointer<UInt8>?
    while true {
      let rc = pcap_next_ex(handle, &header, &data)
      if rc == 0 { continue }
      guard rc == 1, let header, let data else { return nil }
      framesRead += 1
      let frame = UnsafeRawBufferPointer(start: data, count: Int(header.pointee.caplen))
      guard let udp = PacketParser.udp(linkType: linkType, frame: frame),
        ports?.contains(udp.destinationPort) ?? true
      else {
        skippedPackets += 1
        continue
      }
      let ts =
        Int64(header.pointee.ts.tv_sec) * 1000 + Int64(header.pointee.ts.tv_usec) / 1000
      return CapturedDatagram(
        exporter: udp.source, sourcePort: udp.sourcePort, destinationPort: udp.destinationPort,
        payload: Array(frame[udp.payload]), timestampMillis: ts)
    }
  }

  /// Every remaining datagram.
  public func readAll() -> [CapturedDatagram] {
    var out: [CapturedDatagram] = []
    while let d = next() { out.append(d) }
    return out
  }
}
