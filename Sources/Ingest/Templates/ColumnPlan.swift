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
  /// The field of each integer element column (``ElementColumns/integers``), or nil.
  let integers: [FieldSource?]
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

  /// The fields of a NetFlow v5 record (48 bytes) as the IANA elements they carry (RFC 3954
  /// names them after v5's): the record path of `decodeV5` reads them like a template's.
  static let netFlowV5Slots: [Slot] = [
    (8, 4), (12, 4), (15, 4), (10, 2), (14, 2), (2, 4), (1, 4), (22, 4), (21, 4), (7, 2),
    (11, 2), (0, 1), (6, 1), (4, 1), (5, 1), (16, 2), (17, 2), (0, 4),
  ].map { id, length in
    Slot(kind: id == 0 ? .skip : FieldKind.iana(id), length: length)
  }

  /// The NetFlow v5 record's plan.
  static let netFlowV5 = ColumnPlan(
    slots: netFlowV5Slots, recordLength: 48, isFixed: true, isOptions: false)!

  /// Compiles the plan of a template's slots; nil when the template must use the record path.
  init?(slots: [Slot], recordLength: Int, isFixed: Bool, isOptions: Bool) {
    guard isFixed, !isOptions, recordLength > 0 else { return nil }
    self.recordLength = recordLength
    // The last field of each kind wins, as in FlowRecord.set.
    var last: [FieldKind: FieldSource] = [:]
    var firstSeconds: (start: FieldSource?, end: FieldSource?) = (nil, nil)
    var fine: (start: TimeSource?, end: TimeSource?) = (nil, nil)
    var integers = [(rank: UInt8, field: FieldSource)?](
      repeating: nil, count: ElementColumns.integers.count)
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
      case .integer(let k, let rank):
        // The best rank wins; of one rank, the last field (as in FlowRecord.set).
        if let (held, _) = integers[Int(k)], held < rank { continue }
        integers[Int(k)] = (rank, f)
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
    self.integers = integers.map { $0?.field }
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
