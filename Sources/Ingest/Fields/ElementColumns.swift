import Storage

/// An exporter's information element: an IANA element, an ntop (nProbe, PEN 35632) element,
/// or the RFC 5103 reverse (PEN 29305) of an IANA element.
struct Element: Hashable, Sendable {
  /// Who numbers the element.
  enum Registry: Hashable, Sendable {
    case iana, ntop, reverse
  }

  let registry: Registry
  let id: UInt16

  /// IANA element `id`.
  static func iana(_ id: UInt16) -> Element { Element(registry: .iana, id: id) }
  /// ntop element `id` (NetFlow v9 sends it as 57472 + id).
  static func ntop(_ id: UInt16) -> Element { Element(registry: .ntop, id: id) }
  /// The RFC 5103 reverse of IANA element `id`.
  static func reverse(_ id: UInt16) -> Element { Element(registry: .reverse, id: id) }
}

/// A column of ``Storage/FlowSchema/flows`` that exporters fill directly with information
/// elements, and which elements fill it.
///
/// The column's type and nullability come from the schema; this is the decoder's mapping only.
struct ElementColumn: Sendable {
  /// The column's name in ``Storage/FlowSchema/flows``.
  let name: String
  /// The elements in order of precedence: a record's value comes from the first group whose
  /// element it carries (`octetDeltaCount` before `octetTotalCount`); within a group, from the
  /// last such field of the template.
  let precedence: [[Element]]
  /// The bits of the value kept (a VLAN id has 12).
  let mask: UInt64

  init(_ name: String, _ precedence: [[Element]], mask: UInt64 = ~0) {
    self.name = name
    self.precedence = precedence
    self.mask = mask
  }
}

/// The columns filled straight from elements. Adding a row here, and the column to
/// ``Storage/FlowSchema/flows``, is all a new one takes: ``FieldKind``, ``FlowRecord``,
/// ``FlowBatchBuilder`` (and its reuse of sealed batches) and ``ColumnPlan`` follow these tables.
/// Columns computed from several fields and the decoder's state (times, addresses, exporter,
/// domain, sampling, application name) are not element columns.
enum ElementColumns {
  /// Integer columns; a ``FieldKind/integer(_:rank:)`` kind is a position in this list.
  static let integers: [ElementColumn] = [
    ElementColumn("src_port", [[.iana(7)]]),
    ElementColumn("dst_port", [[.iana(11)]]),
    ElementColumn("proto", [[.iana(4)]]),
    ElementColumn("tcp_flags", [[.iana(6)]]),
    ElementColumn("tos", [[.iana(5)]]),
    ElementColumn("bytes", [[.iana(1)], [.iana(85)], [.iana(231)]]),
    ElementColumn("packets", [[.iana(2)], [.iana(86)], [.iana(298)]]),
    ElementColumn("rev_bytes", [[.reverse(1)], [.reverse(85)], [.iana(232)]]),
    ElementColumn("rev_packets", [[.reverse(2)], [.reverse(86)], [.iana(299)]]),
    ElementColumn("in_if", [[.iana(10)]]),
    ElementColumn("out_if", [[.iana(14)]]),
    ElementColumn("vlan", [[.iana(58)], [.iana(243)]], mask: 0xFFF),
    ElementColumn("src_as", [[.iana(16)]]),
    ElementColumn("dst_as", [[.iana(17)]]),
    ElementColumn("end_reason", [[.iana(136)]]),
    ElementColumn("http_status", [[.iana(457), .ntop(181)]]),
  ]

  /// Text columns; a ``FieldKind/text(_:)`` kind is a position in this list.
  static let texts: [ElementColumn] = [
    ElementColumn("http_host", [[.iana(460), .ntop(187)]]),
    ElementColumn("http_url", [[.iana(461), .ntop(180)]]),
    ElementColumn("tls_sni", [[.ntop(188)]]),
    ElementColumn("dns_query", [[.ntop(205)]]),
    ElementColumn("http_user_agent", [[.iana(458)]]),
    ElementColumn("http_method", [[.iana(459)]]),
  ]

  /// The kind of every element that fills a column.
  static let kinds: [Element: FieldKind] = {
    var map: [Element: FieldKind] = [:]
    for (k, c) in integers.enumerated() {
      for (rank, group) in c.precedence.enumerated() {
        for e in group { map[e] = .integer(UInt8(k), rank: UInt8(rank)) }
      }
    }
    for (k, c) in texts.enumerated() {
      for group in c.precedence { for e in group { map[e] = .text(UInt8(k)) } }
    }
    return map
  }()

  /// The type of column `name` in ``Storage/FlowSchema/flows``; a column missing from the schema
  /// is a programming error, caught by the first use.
  static func type(of name: String) -> ColumnType {
    guard let c = FlowSchema.flows.column(named: name) else {
      preconditionFailure("element column \(name) is not a column of flows")
    }
    return c.type
  }
}
