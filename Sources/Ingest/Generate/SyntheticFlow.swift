/// One flow of the synthetic stream (``SyntheticExporter``): the values its IPFIX record
/// carries, whether it goes out in a datagram or straight into a ``Storage/ColumnBatch``.
struct SyntheticFlow {
  /// True for an IPv6 flow (template 257, no L7 fields).
  var v6: Bool
  /// The source and destination addresses: the IPv4 address, or an IPv6 address's low 64 bits
  /// (its high 64 bits are ``v6SourceHigh`` and ``v6DestinationHigh``).
  var source: UInt64
  var destination: UInt64
  var sourcePort: UInt16
  var destinationPort: UInt16
  var proto: UInt8
  var tcpFlags: UInt8
  var bytes: UInt64
  var packets: UInt64
  /// Start and end, ms since the epoch.
  var start: Int64
  var end: Int64
  var inputInterface: UInt32
  var outputInterface: UInt32
  /// Positions in ``apps`` and ``hosts`` (IPv4 flows only).
  var app: Int
  var host: Int

  /// The high 64 bits of the IPv6 source and destination addresses.
  static let v6SourceHigh: UInt64 = 0x2001_0DB8_0000_0000
  static let v6DestinationHigh: UInt64 = 0x2001_0DB8_0001_0000

  /// The application names (IPFIX applicationName) and HTTP hosts (httpRequestHost).
  static let apps = ["http", "https", "dns", "ssh", "ntp", "smtp", "quic", "imaps"]
  static let hosts = [
    "example.com", "api.example.net", "cdn.example.org", "mail.example.com", "www.example.edu",
  ]
  /// The destination ports.
  static let ports: [UInt16] = [443, 80, 53, 22, 123, 25, 8080, 993]
}
