/// What the decoder does with one template field: the column or decoder state it feeds.
///
/// Fields are mapped once, when a template is compiled, so the per-record loop switches on a
/// small value instead of looking up (enterprise, id) pairs.
enum FieldKind: Hashable, Sendable {
  case skip
  case srcV4, dstV4, srcV6, dstV6, nextHopV4, nextHopV6, bgpNextHopV4, bgpNextHopV6
  case samplingInterval, samplerRandomInterval, samplerID, samplingPacketInterval
  case samplingPacketSpace
  case startSeconds, endSeconds, startMillis, endMillis, startMicros, endMicros
  case startNanos, endNanos, startUptime, endUptime, startDeltaMicros, endDeltaMicros
  case systemInitMillis, observationMillis
  case appName, appID
  /// The integer column at this position of ``ElementColumns/integers``, from an element of
  /// this rank in its precedence (0 first).
  case integer(UInt8, rank: UInt8)
  /// The text column at this position of ``ElementColumns/texts``.
  case text(UInt8)

  /// True for the fields whose value is text.
  var isString: Bool {
    switch self {
    case .appName, .text: true
    default: false
    }
  }
}

/// Enterprise numbers the decoder understands.
enum EnterpriseNumber {
  /// RFC 5103 reverse information elements.
  static let reverse: UInt32 = 29305
  /// ntop (nProbe) information elements.
  static let ntop: UInt32 = 35632
}

extension FieldKind {
  /// The kind of the IANA (enterprise 0) information element `id`.
  static func iana(_ id: UInt16) -> FieldKind {
    switch id {
    case 8: .srcV4
    case 12: .dstV4
    case 15: .nextHopV4
    case 18: .bgpNextHopV4
    case 21: .endUptime
    case 22: .startUptime
    case 27: .srcV6
    case 28: .dstV6
    case 34: .samplingInterval
    case 48: .samplerID
    case 50: .samplerRandomInterval
    case 62: .nextHopV6
    case 63: .bgpNextHopV6
    case 95: .appID
    case 96: .appName
    case 150: .startSeconds
    case 151: .endSeconds
    case 152: .startMillis
    case 153: .endMillis
    case 154: .startMicros
    case 155: .endMicros
    case 156: .startNanos
    case 157: .endNanos
    case 158: .startDeltaMicros
    case 159: .endDeltaMicros
    case 160: .systemInitMillis
    case 302: .samplerID
    case 305: .samplingPacketInterval
    case 306: .samplingPacketSpace
    case 323: .observationMillis
    default: ElementColumns.kinds[.iana(id)] ?? .skip
    }
  }

  /// The kind of ntop (PEN 35632) element `id`; NetFlow v9 sends them as 57472 + id.
  static func ntop(_ id: UInt16) -> FieldKind {
    switch id {
    case 119: .appName
    default: ElementColumns.kinds[.ntop(id)] ?? .skip
    }
  }

  /// The kind of the RFC 5103 reverse element of IANA element `id`.
  static func reverse(_ id: UInt16) -> FieldKind {
    ElementColumns.kinds[.reverse(id)] ?? .skip
  }

  /// Maps a field specifier. `enterprise` is nil for IANA elements; `isV9` makes ids above
  /// 32767 plain vendor ids (nProbe sends its elements as 57472 + n).
  static func map(id: UInt16, enterprise: UInt32?, isV9: Bool) -> FieldKind {
    switch enterprise {
    case nil:
      if isV9, id >= 57472 { return ntop(id - 57472) }
      return iana(id)
    case EnterpriseNumber.reverse?: return reverse(id)
    case EnterpriseNumber.ntop?: return ntop(id)
    default: return .skip
    }
  }
}
