import Storage

/// A CIDR block: an address and a prefix length over the 128-bit (v4-mapped) space.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
  /// The network address (host bits cleared).
  public let network: IPAddress
  /// The prefix length in the 128-bit space (IPv4 /8 is 104).
  public let prefix: Int

  /// Creates a block; host bits of `address` are cleared.
  public init(address: IPAddress, prefix: Int) {
    self.prefix = prefix
    let (mh, ml) = CIDR.mask(prefix)
    network = IPAddress(high: address.high & mh, low: address.low & ml)
  }

  /// Parses `a.b.c.d/n` or `v6/n`; a bare address is a single-address block.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let addr = IPAddress(String(parts[0])) else { return nil }
    let maxLen = addr.isV4 && !parts[0].contains(":") ? 32 : 128
    var len = maxLen
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
        let n = Int(parts[1]), n <= maxLen
      else { return nil }
      len = n
    }
    self.init(address: addr, prefix: maxLen == 32 ? 96 + len : len)
  }

  static func mask(_ prefix: Int) -> (UInt64, UInt64) {
    let hi: UInt64 = prefix >= 64 ? ~0 : prefix == 0 ? 0 : ~0 << UInt64(64 - prefix)
    let lo: UInt64 = prefix <= 64 ? 0 : prefix >= 128 ? ~0 : ~0 << UInt64(128 - prefix)
    return (hi, lo)
  }

  /// The last address of the block.
  public var last: IPAddress {
    let (mh, ml) = CIDR.mask(prefix)
    return IPAddress(high: network.high | ~mh, low: network.low | ~ml)
  }

  /// True when `a` lies inside the block.
  @inlinable public func contains(_ a: IPAddress) -> Bool {
    a >= network && a <= last
  }

  /// `network/len` in the address family's own prefix length.
  public var description: String {
    network.isV4 && prefix >= 96 ? "\(network)/\(prefix - 96)" : "\(network)/\(prefix)"
  }
}

/// ISO 8601 timestamps: `2026-11-28`, `2026-11-28T10:15`, `2026-11-28T10:15:30.250Z`,
/// `2026-11-28 10:15:30+02:00`. No zone means UTC; a bare date means midnight UTC.
enum ISO8601 {
  /// Milliseconds since the epoch, or nil when malformed (see `Timestamp.parse`).
  static func parse(_ text: String) -> Int64? { Timestamp.parse(text) }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
func daysFromCivil(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
  Timestamp.days(year: y, month: m, day: d)
}

/// The civil date of a day number since 1970-01-01.
func civilFromDays(_ z: Int64) -> (year: Int64, month: Int64, day: Int64) {
  Timestamp.civil(fromDays: z)
}

/// Floor division (rounds toward negative infinity).
@inlinable func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// `2026-11-28T10:15:30.250Z`.
func formatTimestamp(_ ms: Int64) -> String { Timestamp.iso8601(ms) }
