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
  /// Milliseconds since the epoch, or nil when malformed.
  static func parse(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    var i = 0
    func num(_ n: Int) -> Int64? {
      guard i + n <= b.count else { return nil }
      var v: Int64 = 0
      for k in 0..<n {
        let c = b[i + k]
        guard c >= 48, c <= 57 else { return nil }
        v = v * 10 + Int64(c - 48)
      }
      i += n
      return v
    }
    func take(_ c: Character) -> Bool {
      if i < b.count, b[i] == c.asciiValue! {
        i += 1
        return true
      }
      return false
    }
    guard let y = num(4), take("-"), let mo = num(2), take("-"), let d = num(2),
      (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d)
    else { return nil }
    var ms = daysFromCivil(y, mo, d) * 86_400_000
    if i == b.count { return ms }
    guard take("T") || take("t") || take(" "), let h = num(2), h < 24, take(":"),
      let mi = num(2), mi < 60
    else { return nil }
    ms += h * 3_600_000 + mi * 60_000
    if take(":") {
      guard let s = num(2), s < 60 else { return nil }
      ms += s * 1000
      if take(".") {
        var digits = 0
        var frac: Int64 = 0
        while i < b.count, b[i] >= 48, b[i] <= 57 {
          if digits < 3 { frac = frac * 10 + Int64(b[i] - 48) }
          digits += 1
          i += 1
        }
        guard digits > 0 else { return nil }
        if digits < 3 { for _ in digits..<3 { frac *= 10 } }
        ms += frac
      }
    }
    if i == b.count || take("Z") || take("z") { return i == b.count ? ms : nil }
    let sign: Int64
    if take("+") {
      sign = 1
    } else if take("-") {
      sign = -1
    } else {
      return nil
    }
    guard let oh = num(2), oh < 24 else { return nil }
    _ = take(":")
    guard let om = num(2), om < 60, i == b.count else { return nil }
    return ms - sign * (oh * 3_600_000 + om * 60_000)
  }

  static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
  let y = m <= 2 ? y0 - 1 : y0
  let era = (y >= 0 ? y : y - 399) / 400
  let yoe = y - era * 400
  let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return era * 146_097 + doe - 719_468
}

/// The civil date of a day number since 1970-01-01.
func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
  let z = z0 + 719_468
  let era = (z >= 0 ? z : z - 146_096) / 146_097
  let doe = z - era * 146_097
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
  let y = yoe + era * 400
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  let mp = (5 * doy + 2) / 153
  let d = doy - (153 * mp + 2) / 5 + 1
  let m = mp < 10 ? mp + 3 : mp - 9
  return (m <= 2 ? y + 1 : y, m, d)
}

/// Floor division (rounds toward negative infinity).
@inlinable func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// `2026-11-28T10:15:30.250Z`.
func formatTimestamp(_ ms: Int64) -> String {
  let days = floorDiv(ms, 86_400_000)
  let rem = ms - days * 86_400_000
  let (y, m, d) = civilFromDays(days)
  func pad(_ v: Int64, _ n: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, n - s.count)) + s
  }
  return
    "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3_600_000, 2)):\(pad(rem / 60_000 % 60, 2)):\(pad(rem / 1000 % 60, 2)).\(pad(rem % 1000, 3))Z"
}
