/// One field of a template as the exporter defined it (RFC 7011 3.2, RFC 3954 5.2).
public struct FieldSpecifier: Sendable, Hashable {
  /// The information element id, without the enterprise bit.
  public var id: UInt16
  /// The field length in bytes; ``variableLength`` for a variable-length field.
  public var length: UInt16
  /// The private enterprise number; 0 for IANA elements and for every NetFlow v9 field.
  public var enterprise: UInt32

  /// The length value that marks a variable-length field (RFC 7011 7).
  public static let variableLength: UInt16 = 65535

  /// Creates a field specifier.
  public init(id: UInt16, length: UInt16, enterprise: UInt32 = 0) {
    self.id = id
    self.length = length
    self.enterprise = enterprise
  }
}

/// An information element identity: enterprise number (0 = IANA) and element id.
public struct FieldKey: Sendable, Hashable, CustomStringConvertible {
  /// The private enterprise number, 0 for IANA.
  public var enterprise: UInt32
  /// The element id.
  public var id: UInt16

  /// Creates a key.
  public init(enterprise: UInt32, id: UInt16) {
    self.enterprise = enterprise
    self.id = id
  }

  /// `id` for IANA elements, `enterprise/id` otherwise.
  public var description: String { enterprise == 0 ? "\(id)" : "\(enterprise)/\(id)" }
}
