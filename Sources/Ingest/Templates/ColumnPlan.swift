/// An integer field at a fixed place in every record of a fixed-length template.
struct FieldSource: Sendable, Equatable {
  /// Byte offset inside the record.
  var offset: Int
  /// Bytes (1...8 read directly; longer fields keep their last 8 bytes, like the record path).
  var length: Int
}

/// The unit of an absolute start or end time field.
enum TimeUnit: Sendable, Equatable {
  /// Seconds since the epoch (flowStartSeconds).
  case seconds
  /// Milliseconds since the epoch.
  case millis
  /// An NTP timestamp (flowStartMicroseconds / flowStartNanoseconds).
  case ntp
}

/// An absolute time field and its unit.
struct TimeSource: Sendable, Equatable {
  var field: FieldSource
  var unit: TimeUnit
}

/// Where an address column comes from: an IPv4 field, an IPv6 field, or both (chosen per record
/// like ``FlowRecord/source``).
struct AddressSource: Sendable, Equatable {
  /// Offset of a 4-byte IPv4 field.
  var v4: Int?
  /// Offset of a 16-byte IPv6 field.
  var v6: Int?

  /// True when the template carries neither family.
  var isEmpty: Bool { v4 == nil && v6 == nil }
}

/// A columnar decoding plan for a fixed-length data template: for each output column, the one
/// field that feeds it (or none), resolved once when the template is compiled.
///
/// In a fixed-length template every field is present in every record, so the per-record
/// precedence rules of ``FlowRecord`` and ``FlowBatchBuilder/append(_:start:end:exporter:domain:sampling:app:)``
/// (`bytes` before `bytesTotal` before `initiatorBytes`, last duplicate wins, seconds only
/// when nothing finer is sent, ...) resolve to the same field for all records. Templates whose
/// records depend on decoder state per record (options, packet-interval sampling,
/// systemInitTimeMilliseconds) or carry text get no plan and use the record path.
///
/// A class, so that copying a ``Template`` out of the template table stays cheap.
final class ColumnPlan: Sendable {
  /// Bytes per record.
  let recordLength: Int
  let src: AddressSource
  let dst: AddressSource
  let nextHop: AddressSource
  let srcPort: FieldSource?
  let dstPort: FieldSource?
  let proto: FieldSource?
  let tcpFlags: FieldSource?
  let tos: FieldSource?
  let bytes: FieldSource?
  let packets: FieldSource?
  let revBytes: FieldSource?
  let revPackets: FieldSource?
  let inIf: FieldSource?
  let outIf: FieldSource?
  let vlan: FieldSource?
  let srcAS: FieldSource?
  let dstAS: FieldSource?
  let endReason: FieldSource?
  let httpStatus: FieldSource?
  let startAbs: TimeSource?
  let endAbs: TimeSource?
  let startUptime: FieldSource?
  let endUptime: FieldSource?
  let startDeltaMicros: FieldSource?
  let endDeltaMicros: FieldSource?
  let observationMillis: FieldSource?
  /// The sampling rate the record states (samplingInterval, else samplerRandomInterval).
  let samplingRate: FieldSource?
  /// The sampler id whose rate options data gave (used when the record states no rate).
  let samplerID: FieldSource?
  /// An RFC 6759 application id, named from options data or well-known names.
  let applicationID: FieldSource?

  /// The NetFlow v5 record (48 bytes), read like the record path in `decodeV5`.
  static let netFlowV5 = ColumnPlan(
    slots: [
      Slot(kind: .srcV4, length: 4), Slot(kind: .dstV4, length: 4),
      Slot(kind: .nextHopV4, length: 4), Slot(kind: .inIf, length: 2),
      Slot(kind: .outIf, length: 2), Slot(kind: .packets, length: 4),
      Slot(kind: .bytes, length: 4), Slot(kind: .startUptime, length: 4),
      Slot(kind: .endUptime, length: 4), Slot(kind: .srcPort, length: 2),
      Slot(kind: .dstPort, length: 2), Slot(kind: .skip, length: 1),
      Slot(kind: .tcpFlags, length: 1), Slot(kind: .proto, length: 1),
      Slot(kind: .tos, length: 1), Slot(kind: .srcAS, length: 2), Slot(kind: .dstAS, length: 2),
      Slot(kind: .skip, length: 4),
    ], recordLength: 48, isFixed: true, isOptions: false)!

  /// Compiles the plan of a template's slots; nil when the template must use the record path.
  init?(slots: [Slot], recordLength: Int, isFixed: Bool, isOptions: Bool) {
    guard isFixed, !isOptions, recordLength > 0 else { return nil }
    self.recordLength = recordLength
    // The last field of each kind wins, as in FlowRecord.set.
    var last: [FieldKind: FieldSource] = [:]
    var firstSeconds: (start: FieldSource?, end: FieldSource?) = (nil, nil)
    var fine: (start: TimeSource?, end: TimeSource?) = (nil, nil)
    var offset = 0
    for s in slots {
      let f = FieldSource(offset: offset, length: Int(s.length))
      offset += Int(s.length)
      switch s.kind {
      case .skip: continue
      case .appName, .text, .samplingPacketInterval, .samplingPacketSpace, .systemInitMillis:
        return nil
      case .appID:
        // Shorter ids are ignored (ApplicationID.split); the last valid one wins.
        if f.length >= 2 { last[s.kind] = f }
      case .srcV4, .dstV4, .nextHopV4, .bgpNextHopV4:
        if f.length == 4 { last[s.kind] = f }
      case .srcV6, .dstV6, .nextHopV6, .bgpNextHopV6:
        if f.length == 16 { last[s.kind] = f }
      case .startSeconds: if firstSeconds.start == nil { firstSeconds.start = f }
      case .endSeconds: if firstSeconds.end == nil { firstSeconds.end = f }
      case .startMillis: fine.start = TimeSource(field: f, unit: .millis)
      case .endMillis: fine.end = TimeSource(field: f, unit: .millis)
      case .startMicros, .startNanos: fine.start = TimeSource(field: f, unit: .ntp)
      case .endMicros, .endNanos: fine.end = TimeSource(field: f, unit: .ntp)
      default: last[s.kind] = f
      }
    }
    func first(_ kinds: FieldKind...) -> FieldSource? {
      for k in kinds { if let f = last[k] { return f } }
      return nil
    }
    func address(_ v4: FieldKind, _ v6: FieldKind) -> AddressSource {
      AddressSource(v4: last[v4]?.offset, v6: last[v6]?.offset)
    }
    src = address(.srcV4, .srcV6)
    dst = address(.dstV4, .dstV6)
    let hop = address(.nextHopV4, .nextHopV6)
    nextHop = hop.isEmpty ? address(.bgpNextHopV4, .bgpNextHopV6) : hop
    srcPort = first(.srcPort)
    dstPort = first(.dstPort)
    proto = first(.proto)
    tcpFlags = first(.tcpFlags)
    tos = first(.tos)
    bytes = first(.bytes, .bytesTotal, .initiatorBytes)
    packets = first(.packets, .packetsTotal, .initiatorPackets)
    revBytes = first(.revBytes, .revBytesTotal, .responderBytes)
    revPackets = first(.revPackets, .revPacketsTotal, .responderPackets)
    inIf = first(.inIf)
    outIf = first(.outIf)
    vlan = first(.vlan, .dot1qVlan)
    srcAS = first(.srcAS)
    dstAS = first(.dstAS)
    endReason = first(.endReason)
    httpStatus = first(.httpStatus)
    startAbs = fine.start ?? firstSeconds.start.map { TimeSource(field: $0, unit: .seconds) }
    endAbs = fine.end ?? firstSeconds.end.map { TimeSource(field: $0, unit: .seconds) }
    startUptime = first(.startUptime)
    endUptime = first(.endUptime)
    startDeltaMicros = first(.startDeltaMicros)
    endDeltaMicros = first(.endDeltaMicros)
    observationMillis = first(.observationMillis)
    samplingRate = first(.samplingInterval, .samplerRandomInterval)
    samplerID = first(.samplerID)
    applicationID = first(.appID)
  }
}
