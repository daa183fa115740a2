import Storage

/// A text column of ``Storage/FlowSchema/flows`` that exporters fill directly with one
/// information element: which elements fill it.
///
/// The column's type and nullability come from the schema; this is only the decoder's mapping.
/// When a record carries several of the elements, the last one in the template wins.
struct TextColumn: Sendable {
  /// The column's name in ``Storage/FlowSchema/flows``.
  let name: String
  /// IANA (enterprise 0) information element ids.
  let iana: [UInt16]
  /// ntop (PEN 35632) element ids; NetFlow v9 sends them as 57472 + id.
  let ntop: [UInt16]

  init(_ name: String, iana: [UInt16] = [], ntop: [UInt16] = []) {
    self.name = name
    self.iana = iana
    self.ntop = ntop
  }
}

/// The text columns filled straight from one element: adding a row here, and the column in
/// ``Storage/FlowSchema/flows``, is all a new one takes (``FieldKind``, ``FlowRecord``,
/// ``FlowBatchBuilder`` and ``ColumnPlan`` follow this table).
enum TextColumns {
  /// The columns; a ``FieldKind/text(_:)`` kind is a position in this list.
  static let all: [TextColumn] = [
    TextColumn("http_host", iana: [460], ntop: [187]),
    TextColumn("http_url", iana: [461], ntop: [180]),
    TextColumn("tls_sni", ntop: [188]),
    TextColumn("dns_query", ntop: [205]),
    TextColumn("http_user_agent", iana: [458]),
    TextColumn("http_method", iana: [459]),
  ]

  /// Each column's position in ``Storage/FlowSchema/flows``; a column missing from the schema
  /// or not text there is a programming error, caught by the first use.
  static let positions: [Int] = all.map { c in
    guard let i = FlowSchema.flows.index(of: c.name), FlowSchema.flows.columns[i].type == .string
    else { preconditionFailure("text column \(c.name) is not a string column of flows") }
    return i
  }

  /// The text column filled by IANA element `id`, or nil.
  static let byIANA: [UInt16: UInt8] = index(\.iana)
  /// The text column filled by ntop element `id`, or nil.
  static let byNtop: [UInt16: UInt8] = index(\.ntop)

  private static func index(_ ids: KeyPath<TextColumn, [UInt16]>) -> [UInt16: UInt8] {
    var map: [UInt16: UInt8] = [:]
    for (k, c) in all.enumerated() {
      for id in c[keyPath: ids] { map[id] = UInt8(k) }
    }
    return map
  }
}
