import Ingest
import Storage

/// An address prefix (`10.0.0.0/8`, `2001:db8::/32`, or a single address) for `--allow`.
///
/// IPv4 prefixes match IPv4 senders only (IPv4 addresses are held IPv4-mapped, so a v4 prefix
/// of length n is a v6 prefix of length 96 + n).
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
  /// The network address (host bits cleared).
  public let network: IPAddress
  /// The prefix length in the 128-bit space.
  public let bits: Int
  private let text: String

  /// Parses `ADDR/LEN` or `ADDR`; nil when it is not a prefix.
  public init?(_ spec: String) {
    let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2, let addr = IPAddress(String(parts[0])) else {
      return nil
    }
    let width = addr.isV4 ? 32 : 128
    var len = width
    if parts.count == 2 {
      guard let n = Int(parts[1]), (0...width).contains(n) else { return nil }
      len = n
    }
    bits = addr.isV4 ? 96 + len : len
    network = Self.mask(addr, bits)
    text = spec
  }

  private static func mask(_ a: IPAddress, _ bits: Int) -> IPAddress {
    let hi: UInt64 = bits >= 64 ? ~0 : (bits == 0 ? 0 : ~0 << UInt64(64 - bits))
    let lo: UInt64 = bits >= 128 ? ~0 : (bits <= 64 ? 0 : ~0 << UInt64(128 - bits))
    return IPAddress(high: a.high & hi, low: a.low & lo)
  }

  /// True when `address` lies in the prefix.
  public func contains(_ address: IPAddress) -> Bool {
    Self.mask(address, bits) == network
  }

  /// The prefix as written.
  public var description: String { text }
}
