import Storage

/// Scratch values of one data record while its fields are read; reused for every record, so no
/// heap object is made per row (only the strings of L7 fields allocate).
struct FlowRecord {
  var srcV4: UInt32?
  var dstV4: UInt32?
  var srcV6: IPAddress?
  var dstV6: IPAddress?
  var nextHopV4: UInt32?
  var nextHopV6: IPAddress?
  var bgpNextHopV4: UInt32?
  var bgpNextHopV6: IPAddress?
  /// The integer element columns (``ElementColumns/integers``).
  var integers = RecordIntegers()
  var samplingInterval: UInt64?
  var samplerRandomInterval: UInt64?
  var samplerID: UInt64?
  var samplingPacketInterval: UInt64?
  var samplingPacketSpace: UInt64?
  /// The time fields, resolved to start and end by ``FlowDecoder/resolveTimes(_:ctx:systemInit:unanchored:)``.
  var times = RecordTimes()
  var systemInitMillis: Int64?
  var appName: String?
  /// RFC 6759 application id: classification engine and selector.
  var appEngine: UInt8 = 0
  var appSelector: UInt64?
  /// The values of the text element columns (``ElementColumns/texts``), by position; empty until the record sets one (an empty
  /// array does not allocate, so records without text cost nothing).
  var texts: [String?] = []

  /// Seconds between the NTP epoch (1900) and the Unix epoch.
  static let ntpOffset: Int64 = 2_208_988_800

  /// Milliseconds since the Unix epoch of an NTP timestamp (RFC 7011 6.1.9/6.1.10).
  @inline(__always)
  static func ntpMillis(_ v: UInt64) -> Int64 {
    let secs = Int64(v >> 32) - ntpOffset
    let frac = Int64(((v & 0xFFFF_FFFF) &* 1000) >> 32)
    return secs * 1000 + frac
  }

  /// Stores the value of a field of `kind` found at `p + offset` with `length` bytes.
  @inline(__always)
  mutating func set(_ kind: FieldKind, _ p: UnsafeRawPointer, _ offset: Int, _ length: Int) {
    switch kind {
    case .skip: return
    case .srcV4: if length == 4 { srcV4 = BigEndian.u32(p, offset) }
    case .dstV4: if length == 4 { dstV4 = BigEndian.u32(p, offset) }
    case .nextHopV4: if length == 4 { nextHopV4 = BigEndian.u32(p, offset) }
    case .bgpNextHopV4: if length == 4 { bgpNextHopV4 = BigEndian.u32(p, offset) }
    case .srcV6: if length == 16 { srcV6 = Self.v6(p, offset) }
    case .dstV6: if length == 16 { dstV6 = Self.v6(p, offset) }
    case .nextHopV6: if length == 16 { nextHopV6 = Self.v6(p, offset) }
    case .bgpNextHopV6: if length == 16 { bgpNextHopV6 = Self.v6(p, offset) }
    case .appName: appName = BigEndian.string(p, offset, length)
    case .text(let k):
      if texts.isEmpty { texts = [String?](repeating: nil, count: ElementColumns.texts.count) }
      texts[Int(k)] = BigEndian.string(p, offset, length)
    case .appID:
      if let (e, s) = ApplicationID.split(p, offset, length) {
        appEngine = e
        appSelector = s
      }
    case .integer(let k, let rank):
      guard length > 0 else { return }
      integers.set(Int(k), BigEndian.uint(p, offset, length), rank: rank)
    default:
      guard length > 0 else { return }
      setInteger(kind, BigEndian.uint(p, offset, length))
    }
  }

  /// The value of text column `k`, or nil.
  @inline(__always)
  func text(_ k: Int) -> String? { texts.isEmpty ? nil : texts[k] }

  @inline(__always)
  private static func v6(_ p: UnsafeRawPointer, _ offset: Int) -> IPAddress {
    let (h, l) = BigEndian.ipv6(p, offset)
    return IPAddress(high: h, low: l)
  }

  @inline(__always)
  private mutating func setInteger(_ kind: FieldKind, _ v: UInt64) {
    switch kind {
    case .samplingInterval: samplingInterval = v
    case .samplerRandomInterval: samplerRandomInterval = v
    case .samplerID: samplerID = v
    case .samplingPacketInterval: samplingPacketInterval = v
    case .samplingPacketSpace: samplingPacketSpace = v
    // Seconds only when nothing finer was given (YAF, nProbe send several precisions).
    case .startSeconds:
      if times.startAbs == nil { times.startAbs = Int64(truncatingIfNeeded: v &* 1000) }
    case .endSeconds: if times.endAbs == nil { times.endAbs = Int64(truncatingIfNeeded: v &* 1000) }
    case .startMillis: times.startAbs = Int64(truncatingIfNeeded: v)
    case .endMillis: times.endAbs = Int64(truncatingIfNeeded: v)
    case .startMicros, .startNanos: times.startAbs = Self.ntpMillis(v)
    case .endMicros, .endNanos: times.endAbs = Self.ntpMillis(v)
    case .startUptime: times.startUptime = UInt32(truncatingIfNeeded: v)
    case .endUptime: times.endUptime = UInt32(truncatingIfNeeded: v)
    case .startDeltaMicros: times.startDeltaMicros = UInt32(truncatingIfNeeded: v)
    case .endDeltaMicros: times.endDeltaMicros = UInt32(truncatingIfNeeded: v)
    case .systemInitMillis: systemInitMillis = Int64(truncatingIfNeeded: v)
    case .observationMillis: times.observationMillis = Int64(truncatingIfNeeded: v)
    default: break
    }
  }

  /// The sampling rate the record itself states, if any (0 and 1 both mean unsampled).
  var ownSamplingRate: UInt64? {
    if let s = samplingInterval ?? samplerRandomInterval { return s }
    if let i = samplingPacketInterval, i > 0 {
      // Saturating: hostile interval + space values must not overflow (a trap in debug).
      let (sum, overflow) = i.addingReportingOverflow(samplingPacketSpace ?? 0)
      return (overflow ? UInt64.max : sum) / i
    }
    return nil
  }

  /// The source address: IPv4 unless the record carries a non-zero IPv6 address instead
  /// (templates may carry both families with zeros in the unused one).
  var source: IPAddress? { Self.pick(srcV4, srcV6) }
  /// The destination address, chosen like ``source``.
  var destination: IPAddress? { Self.pick(dstV4, dstV6) }
  /// The next hop: IP next hop, else BGP next hop.
  var nextHop: IPAddress? {
    Self.pick(nextHopV4, nextHopV6) ?? Self.pick(bgpNextHopV4, bgpNextHopV6)
  }

  @inline(__always)
  private static func pick(_ v4: UInt32?, _ v6: IPAddress?) -> IPAddress? {
    if let v6, v6 != .zero, v4 == nil || v4 == 0 { return v6 }
    if let v4 { return IPAddress(v4: v4) }
    return v6
  }
}
