/// A field of a compiled template: what to do with it and how many bytes it takes.
struct Slot: Sendable {
  var kind: FieldKind
  /// Bytes, or ``FieldSpecifier/variableLength``.
  var length: UInt16
}

/// A data or options template, compiled for decoding: its definition and when it was last seen.
///
/// The definition is shared (a class), so taking a template out of the template table for
/// every data set costs one reference count, not one per array.
struct Template: Sendable {
  /// What the exporter defined, compiled.
  let definition: TemplateDefinition
  /// When the template was last defined or refreshed (ms since the epoch, receive clock).
  var lastSeen: Int64
  /// The decoder's use clock when the template was defined, or last used by a data set:
  /// evictions take the smallest (see ``FlowDecoder/install(_:key:used:)``).
  var touched: UInt64 = 0
  /// Whether a data set has used the template since it was defined: unused templates are
  /// evicted first.
  var used = false

  var id: UInt16 { definition.id }
  var isV9: Bool { definition.isV9 }
  var scopeCount: UInt16 { definition.scopeCount }
  var fields: [FieldSpecifier] { definition.fields }
  var slots: [Slot] { definition.slots }
  var minLength: Int { definition.minLength }
  var isFixed: Bool { definition.isFixed }
  var unmapped: [FieldKey] { definition.unmapped }
  var isOptions: Bool { definition.isOptions }
  var plan: ColumnPlan? { definition.plan }

  /// Compiles a template; nil when its records would have no length (cannot be decoded).
  init?(
    id: UInt16, isV9: Bool, isOptions: Bool, scopeCount: UInt16, fields: [FieldSpecifier],
    lastSeen: Int64
  ) {
    guard
      let d = TemplateDefinition(
        id: id, isV9: isV9, isOptions: isOptions, scopeCount: scopeCount, fields: fields)
    else { return nil }
    definition = d
    self.lastSeen = lastSeen
  }

  /// True when a template set with these properties defines this template again (a refresh,
  /// not a redefinition).
  func isDefined(isV9: Bool, isOptions: Bool, scopeCount: UInt16, fields: [FieldSpecifier])
    -> Bool
  {
    self.isV9 == isV9 && self.isOptions == isOptions && self.scopeCount == scopeCount
      && self.fields == fields
  }
}

/// The compiled, immutable part of a ``Template``.
final class TemplateDefinition: Sendable {
  /// The template id (256...65535).
  let id: UInt16
  /// True when defined in NetFlow v9 (no enterprise numbers; different options scope types).
  let isV9: Bool
  /// Scope fields count (options templates).
  let scopeCount: UInt16
  /// The fields as defined by the exporter (kept for serialization).
  let fields: [FieldSpecifier]
  /// The compiled fields; runs of fixed-length ignored fields are merged.
  let slots: [Slot]
  /// The smallest record length: fixed lengths plus one byte per variable-length field.
  let minLength: Int
  /// True when no field is variable-length.
  let isFixed: Bool
  /// The fields the decoder does not map (counted per data record).
  let unmapped: [FieldKey]
  /// True for options templates (their data records update decoder state, not flows).
  let isOptions: Bool
  /// The columnar plan of a fixed-length data template, nil when records take the record path.
  let plan: ColumnPlan?

  /// Compiles a definition; nil when its records would have no length (cannot be decoded).
  init?(
    id: UInt16, isV9: Bool, isOptions: Bool, scopeCount: UInt16, fields: [FieldSpecifier]
  ) {
    var slots: [Slot] = []
    var unmapped: [FieldKey] = []
    var minLength = 0
    var isFixed = true
    for (i, f) in fields.enumerated() {
      let isV9Scope = isV9 && i < Int(scopeCount)
      let kind =
        isV9Scope
        ? FieldKind.skip
        : FieldKind.map(
          id: f.id, enterprise: isV9 || f.enterprise == 0 ? nil : f.enterprise, isV9: isV9)
      if f.length == FieldSpecifier.variableLength {
        isFixed = false
        minLength += 1
        slots.append(Slot(kind: kind, length: f.length))
      } else {
        minLength += Int(f.length)
        if f.length == 0 { continue }
        if kind == .skip, let last = slots.last, last.kind == .skip,
          last.length != FieldSpecifier.variableLength,
          Int(last.length) + Int(f.length) < Int(FieldSpecifier.variableLength)
        {
          slots[slots.count - 1].length += f.length
        } else {
          slots.append(Slot(kind: kind, length: f.length))
        }
      }
      if kind == .skip, !isV9Scope {
        unmapped.append(FieldKey(enterprise: f.enterprise, id: f.id))
      }
    }
    guard minLength > 0 else { return nil }
    self.id = id
    self.isV9 = isV9
    self.isOptions = isOptions
    self.scopeCount = scopeCount
    self.fields = fields
    self.slots = slots
    self.minLength = minLength
    self.isFixed = isFixed
    self.unmapped = unmapped
    self.plan = ColumnPlan(
      slots: slots, recordLength: minLength, isFixed: isFixed, isOptions: isOptions)
  }
}
