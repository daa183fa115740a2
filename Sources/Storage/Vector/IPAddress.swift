/// An IPv4 or IPv6 address as 128 bits, IPv4 kept in its v4-mapped form (`::ffff:a.b.c.d`).
///
/// Ordering is numeric over the 128 bits, so all IPv4 addresses sort together.
public struct IPAddress: Sendable, Hashable, Comparable {
  /// The high 64 bits, network order.
  public var high: UInt64
  /// The low 64 bits, network order.
  public var low: UInt64

  /// Creates an address from its two 64-bit halves.
  @inlinable public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// Creates the v4-mapped address of an IPv4 address given as a host-order integer.
  @inlinable public init(v4 value: UInt32) {
    self.high = 0
    self.low = 0x0000_FFFF_0000_0000 | UInt64(value)
  }

  /// Creates an address from 16 bytes in network order.
  public init<C: Collection<UInt8>>(bytes16 bytes: C) {
    var h: UInt64 = 0
    var l: UInt64 = 0
    for (i, b) in bytes.prefix(16).enumerated() {
      if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
    }
    self.init(high: h, low: l)
  }

  /// True when this is a v4-mapped IPv4 address.
  @inlinable public var isV4: Bool { high == 0 && low >> 32 == 0xFFFF }

  /// The IPv4 address as a host-order integer, when this is one.
  @inlinable public var v4: UInt32? { isV4 ? UInt32(truncatingIfNeeded: low) : nil }

  /// The all-zero address (`::`).
  public static let zero = IPAddress(high: 0, low: 0)

  @inlinable public static func < (a: IPAddress, b: IPAddress) -> Bool {
    a.high != b.high ? a.high < b.high : a.low < b.low
  }
}
