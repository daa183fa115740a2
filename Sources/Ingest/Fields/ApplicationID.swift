/// RFC 6759 application identifiers (IE 95): one classification engine byte, then a selector.
///
/// Ids from the IANA engines (L3 protocol numbers, L4 ports) map to well-known names; others
/// are written as `engine:selector` unless the exporter sent a name for them in options data.
enum ApplicationID {
  /// The selector id packed into an integer (at most its last 8 bytes), with the engine id.
  static func split(_ p: UnsafeRawPointer, _ offset: Int, _ length: Int) -> (UInt8, UInt64)? {
    guard length >= 2 else { return nil }
    let engine = BigEndian.u8(p, offset)
    let selector = BigEndian.uint(p, offset + 1, length - 1)
    return (engine, selector)
  }

  /// A key for the application id (engine in the top byte), used for exporter name tables.
  static func key(engine: UInt8, selector: UInt64) -> UInt64 {
    UInt64(engine) << 56 | selector & 0x00FF_FFFF_FFFF_FFFF
  }

  /// The well-known name of an id, or `engine:selector`.
  static func name(engine: UInt8, selector: UInt64) -> String {
    switch engine {
    case 1:  // IANA-L3: protocol numbers
      if let n = protocolNames[selector] { return n }
    case 3:  // IANA-L4: well-known ports
      if let n = portNames[selector] { return n }
    default: break
    }
    return "\(engine):\(selector)"
  }

  static let protocolNames: [UInt64: String] = [
    1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 41: "ipv6", 47: "gre", 50: "esp",
    51: "ah", 58: "ipv6-icmp", 89: "ospf", 103: "pim", 112: "vrrp", 132: "sctp",
  ]

  static let portNames: [UInt64: String] = [
    20: "ftp-data", 21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp", 53: "dns", 67: "dhcp",
    68: "dhcp", 69: "tftp", 80: "http", 110: "pop3", 119: "nntp", 123: "ntp", 137: "netbios",
    138: "netbios", 139: "netbios", 143: "imap", 161: "snmp", 162: "snmp", 179: "bgp",
    389: "ldap", 443: "https", 445: "smb", 465: "smtps", 514: "syslog", 587: "submission",
    636: "ldaps", 853: "dns-over-tls", 993: "imaps", 995: "pop3s", 1194: "openvpn",
    1433: "mssql", 1812: "radius", 3306: "mysql", 3389: "rdp", 5060: "sip", 5432: "postgresql",
    5900: "vnc", 6379: "redis", 8080: "http-alt", 8443: "https-alt",
  ]
}
