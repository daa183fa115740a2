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
