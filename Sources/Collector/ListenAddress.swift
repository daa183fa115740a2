import Ingest

/// A UDP address to listen on: `0.0.0.0:2055`, `127.0.0.1:4739` or `[::]:2055`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
  /// The numeric host (IPv4 dotted quad or IPv6 without brackets).
  public var host: String
  /// The UDP port (0 lets the system choose).
  public var port: Int

  /// The defaults: NetFlow's 2055 and IPFIX's 4739 on every IPv4 address.
  public static let defaults = [
    ListenAddress(host: "0.0.0.0", port: 2055), ListenAddress(host: "0.0.0.0", port: 4739),
  ]

  /// Creates an address from its parts.
  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses `ADDR:PORT` (IPv6 in brackets: `[::1]:2055`); nil when it is not one.
  public init?(_ text: String) {
    var host: Substring
    var portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { return nil }
      host = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      guard rest.hasPrefix(":") else { return nil }
      portText = rest.dropFirst()
      guard host.contains(":") else { return nil }
    } else {
      guard let colon = text.lastIndex(of: ":") else { return nil }
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
      guard !host.contains(":") else { return nil }
    }
    guard let port = Int(portText), (0...65535).contains(port), !host.isEmpty else { return nil }
    self.host = String(host)
    self.port = port
  }

  /// `host:port`, with brackets around an IPv6 host.
  public var description: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}
