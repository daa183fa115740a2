import Storage

/// The built-in scalar functions. Each has a binding rule (argument and result types), a
/// row-at-a-time form (``evaluate(_:)``) and a vectorized form (``evaluate(_:count:)``).
enum ScalarFunction: String, Sendable, Equatable, CaseIterable {
  case timeBucket = "time_bucket"
  case lower
  case upper
  case length
  case isPrivate = "is_private"
  case isIPv4 = "is_ipv4"
  case isIPv6 = "is_ipv6"
  case network
  case coalesce
  case abs
  case round
  case hour
  case minute
  case day
  case month
  case year
  case weekday
  case epochMs = "epoch_ms"

  /// Names of every scalar function (for suggestions), `now` included.
  static var allNames: [String] { allCases.map(\.rawValue) + ["now"] }

  /// Checks the arguments and returns the result type.
  func resultType(_ args: [BoundExpr], at loc: SourceLocation) throws(QueryError) -> DataType {
    let types = args.map(\.type)
    func want(_ expected: [DataType]) throws(QueryError) {
      guard types.count == expected.count else {
        throw .invalid(
          "\(rawValue)() takes \(expected.count) argument\(expected.count == 1 ? "" : "s"), got \(types.count)",
          at: loc)
      }
      for (k, (t, e)) in zip(types, expected).enumerated() where t != e && t != .null {
        if e == .float && t == .int { continue }
        throw .typeMismatch("argument \(k + 1) of \(rawValue)() must be \(e), not \(t)", at: loc)
      }
    }
    switch self {
    case .timeBucket:
      try want([.duration, .timestamp])
      guard case .constant(.duration(let d), _) = args[0], d > 0 else {
        throw .invalid("time_bucket() needs a constant positive duration such as 5m", at: loc)
      }
      return .timestamp
    case .lower, .upper:
      try want([.string])
      return .string
    case .length:
      try want([.string])
      return .int
    case .isPrivate, .isIPv4, .isIPv6:
      try want([.ip])
      return .bool
    case .network:
      try want([.ip, .int])
      guard case .constant(.int(let n), _) = args[1], (0...128).contains(n) else {
        throw .invalid("network() needs a constant prefix length 0–32 (IPv4) or 0–128", at: loc)
      }
      return .ip
    case .coalesce:
      guard !types.isEmpty else { throw .invalid("coalesce() needs arguments", at: loc) }
      var t = DataType.null
      for a in types where a != .null {
        if t == .null || (t == .int && a == .float) {
          t = a
        } else if t != a && !(t == .float && a == .int) {
          throw .typeMismatch("coalesce() arguments mix \(t) and \(a)", at: loc)
        }
      }
      return t
    case .abs, .round:
      guard types.count == 1, types[0].isNumeric || types[0] == .duration || types[0] == .null
      else { throw .typeMismatch("\(rawValue)() takes one number", at: loc) }
      return types[0]
    case .hour, .minute, .day, .month, .year, .weekday, .epochMs:
      try want([.timestamp])
      return .int
    }
  }

  /// Row-at-a-time evaluation.
  func evaluate(_ args: [Value]) -> Value {
    if self == .coalesce { return args.first { !$0.isNull } ?? .null }
    if args.contains(where: \.isNull) { return .null }
    switch self {
    case .timeBucket:
      return .timestamp(bucketStart(args[1].intValue!, args[0].intValue!))
    case .lower: if case .string(let s) = args[0] { return .string(s.lowercased()) }
    case .upper: if case .string(let s) = args[0] { return .string(s.uppercased()) }
    case .length: if case .string(let s) = args[0] { return .int(Int64(s.count)) }
    case .isPrivate: if case .ip(let a) = args[0] { return .bool(isPrivateAddress(a)) }
    case .isIPv4: if case .ip(let a) = args[0] { return .bool(a.isV4) }
    case .isIPv6: if case .ip(let a) = args[0] { return .bool(!a.isV4) }
    case .network:
      if case .ip(let a) = args[0] { return .ip(networkOf(a, Int(args[1].intValue!))) }
    case .abs:
      switch args[0] {
      case .int(let v): return .int(v < 0 ? 0 &- v : v)
      case .float(let v): return .float(Swift.abs(v))
      case .duration(let v): return .duration(v < 0 ? 0 &- v : v)
      default: break
      }
    case .round:
      if case .float(let v) = args[0] { return .float(v.rounded(.toNearestOrAwayFromZero)) }
      return args[0]
    case .hour, .minute, .day, .month, .year, .weekday, .epochMs:
      return .int(timePart(args[0].intValue!))
    case .coalesce: break
    }
    return .null
  }

  /// Vectorized evaluation over a batch of `count` rows.
  func evaluate(_ args: [Vec], count: Int, cache: EvalCache? = nil) -> Vec {
    switch self {
    case .coalesce:
      return coalesceVectors(args, count: count)
    case .timeBucket:
      let d = args[0].ints()[0]
      let t = args[1].ints()
      var out = [Int64](repeating: 0, count: count)
      for i in 0..<count { out[i] = bucketStart(t[i], d) }
      return Vec(.int(out), valid: andValid(args[0].valid, args[1].valid), count: count)
    case .lower, .upper:
      if case .codes(let codes, let entries) = args[0].data {
        // Once per dictionary entry; the codes stay.
        // Once per block: the batches of a block share its dictionary, and the cache keeps the
        // mapped entries (and so their buffer, which the group table's interner recognises).
        let f: (String) -> String = self == .lower ? { $0.lowercased() } : { $0.uppercased() }
        let mapped = cache?.mapped(entries, "\(self)", f) ?? entries.map(f)
        return Vec.coded(codes, mapped, valid: args[0].valid)
      }
      let s = args[0].strings()
      let out =
        self == .lower ? mapStrings(s) { $0.lowercased() } : mapStrings(s) { $0.uppercased() }
      return Vec(.string(out), valid: args[0].valid, count: count)
    case .length:
      return Vec(
        .int(args[0].perRow { Int64($0.count) }), valid: args[0].valid,
        count: count)
    case .isPrivate, .isIPv4, .isIPv6:
      let a = args[0].ips()
      let out: [Bool]
      switch self {
      case .isPrivate: out = a.map(isPrivateAddress)
      case .isIPv4: out = a.map(\.isV4)
      default: out = a.map { !$0.isV4 }
      }
      return Vec(.bool(out), valid: args[0].valid, count: count)
    case .network:
      let len = Int(args[1].ints()[0])
      return Vec(
        .ip(args[0].ips().map { networkOf($0, len) }),
        valid: andValid(args[0].valid, args[1].valid),
        count: count)
    case .abs:
      if case .float(let a) = args[0].data {
        return Vec(.float(a.map { Swift.abs($0) }), valid: args[0].valid, count: count)
      }
      return Vec(
        .int(args[0].ints().map { $0 < 0 ? 0 &- $0 : $0 }), valid: args[0].valid, count: count)
    case .round:
      if case .float(let a) = args[0].data {
        return Vec(
          .float(a.map { $0.rounded(.toNearestOrAwayFromZero) }), valid: args[0].valid, count: count
        )
      }
      return args[0]
    case .hour, .minute, .day, .month, .year, .weekday, .epochMs:
      let t = args[0].ints()
      var out = [Int64](repeating: 0, count: count)
      for i in 0..<count { out[i] = timePart(t[i]) }
      return Vec(.int(out), valid: args[0].valid, count: count)
    }
  }

  private func timePart(_ t: Int64) -> Int64 {
    switch self {
    case .hour: return floorDiv(t, 3_600_000) - floorDiv(t, 86_400_000) * 24
    case .minute: return floorDiv(t, 60_000) - floorDiv(t, 3_600_000) * 60
    case .epochMs: return t
    case .weekday:
      // ISO: Monday = 1 … Sunday = 7; 1970-01-01 was a Thursday.
      let d = floorDiv(t, 86_400_000)
      return (d + 3) - floorDiv(d + 3, 7) * 7 + 1
    default:
      let c = civilFromDays(floorDiv(t, 86_400_000))
      return self == .day ? c.day : self == .month ? c.month : c.year
    }
  }

  private func coalesceVectors(_ args: [Vec], count: Int) -> Vec {
    // Rarely hot: assemble row by row from the first non-NULL argument.
    var types: [DataType] = []
    var outType = DataType.null
    for a in args {
      let t: DataType
      switch a.data {
      case .bool: t = .bool
      case .float: t = .float
      case .string, .codes: t = .string
      case .v4: t = .ip
      case .ip: t = .ip
      default: t = .int
      }
      types.append(t)
      if t == .float || outType == .null || outType == .bool { outType = t }
    }
    var values = [Value](repeating: .null, count: count)
    for i in 0..<count {
      for (a, t) in zip(args, types) where a.isValid(i) {
        values[i] = a.value(i, t)
        break
      }
    }
    if outType == .float { values = values.map { $0.doubleValue.map(Value.float) ?? .null } }
    return Vec.from(values: values, type: outType)
  }
}

/// The start of the `width`-ms bucket holding `t` (buckets aligned to the epoch).
@inline(__always) func bucketStart(_ t: Int64, _ width: Int64) -> Int64 {
  floorDiv(t, width) * width
}

private let privateBlocks: [CIDR] = [
  "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
  "fc00::/7", "::1/128", "fe80::/10",
].map { CIDR($0)! }

/// RFC 1918, RFC 4193 (fc00::/7), loopback (127/8, ::1) and link-local (169.254/16, fe80::/10).
func isPrivateAddress(_ a: IPAddress) -> Bool {
  privateBlocks.contains { $0.contains(a) }
}

/// The address with host bits cleared; `len` counts in the address's own family.
func networkOf(_ a: IPAddress, _ len: Int) -> IPAddress {
  CIDR(address: a, prefix: a.isV4 ? 96 + Swift.min(len, 32) : len).network
}
