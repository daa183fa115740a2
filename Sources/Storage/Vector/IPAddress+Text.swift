extension IPAddress: CustomStringConvertible, LosslessStringConvertible {
  /// The canonical text form: dotted quad for IPv4, RFC 5952 for IPv6.
  public var description: String {
    if let v = v4 {
      return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
    }
    var groups = [UInt16](repeating: 0, count: 8)
    for i in 0..<4 {
      groups[i] = UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64(i)))
      groups[i + 4] = UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64(i)))
    }
    // Longest run of two or more zero groups becomes "::" (first such run on ties).
    var bestStart = -1
    var bestLen = 1
    var i = 0
    while i < 8 {
      if groups[i] == 0 {
        var j = i
        while j < 8 && groups[j] == 0 { j += 1 }
        if j - i > bestLen {
          bestStart = i
          bestLen = j - i
        }
        i = j
      } else {
        i += 1
      }
    }
    func hex(_ range: Range<Int>) -> String {
      range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
    }
    if bestStart < 0 { return hex(0..<8) }
    return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
  }

  /// Parses an IPv4 dotted quad or an IPv6 address (with `::` and an embedded IPv4 tail).
  public init?(_ text: String) {
    if let v = IPAddress.parseV4(Substring(text)) {
      self.init(v4: v)
      return
    }
    guard let (h, l) = IPAddress.parseV6(text) else { return nil }
    self.init(high: h, low: l)
  }

  static func parseV4(_ text: Substring) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var value: UInt32 = 0
    for p in parts {
      guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let n = UInt32(p), n <= 255 else {
        return nil
      }
      value = value << 8 | n
    }
    return value
  }

  static func parseV6(_ text: String) -> (UInt64, UInt64)? {
    guard text.contains(":") else { return nil }
    let halves = text.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ s: String) -> [UInt16]? {
      if s.isEmpty { return [] }
      var out: [UInt16] = []
      let parts = s.split(separator: ":", omittingEmptySubsequences: false)
      for (k, p) in parts.enumerated() {
        if k == parts.count - 1, p.contains("."), let v4 = parseV4(p) {
          out.append(UInt16(v4 >> 16))
          out.append(UInt16(v4 & 0xFFFF))
        } else {
          guard !p.isEmpty, p.count <= 4, let g = UInt16(p, radix: 16) else { return nil }
          out.append(g)
        }
      }
      return out
    }
    guard let head = groups(halves[0]) else { return nil }
    var all = head
    if halves.count == 2 {
      guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
      all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }
    guard all.count == 8 else { return nil }
    var h: UInt64 = 0
    var l: UInt64 = 0
    for i in 0..<4 {
      h = h << 16 | UInt64(all[i])
      l = l << 16 | UInt64(all[i + 4])
    }
    return (h, l)
  }
}

extension String {
  fileprivate func components(separatedBy sep: String) -> [String] {
    var result: [String] = []
    var rest = Substring(self)
    while let r = rest.firstRange(of: sep) {
      result.append(String(rest[..<r.lowerBound]))
      rest = rest[r.upperBound...]
    }
    result.append(String(rest))
    return result
  }
}
