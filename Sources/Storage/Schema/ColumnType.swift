/// The physical type of a stored column.
///
/// Every type has a fixed in-memory vector representation (see ``ColumnValues``) and a codec
/// family on disk (see `docs/FORMAT.md`). Raw values are part of the file format: never renumber.
public enum ColumnType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  /// Unsigned 8-bit integer.
  case uint8 = 1
  /// Unsigned 16-bit integer.
  case uint16 = 2
  /// Unsigned 32-bit integer.
  case uint32 = 3
  /// Unsigned 64-bit integer.
  case uint64 = 4
  /// Milliseconds since the Unix epoch, UTC.
  case timestamp = 5
  /// IPv4 or IPv6 address (IPv4 kept v4-mapped).
  case ip = 6
  /// UTF-8 string.
  case string = 7

  /// The lower-case name used in `DESCRIBE` output and the catalog.
  public var description: String {
    switch self {
    case .uint8: "u8"
    case .uint16: "u16"
    case .uint32: "u32"
    case .uint64: "u64"
    case .timestamp: "timestamp"
    case .ip: "ip"
    case .string: "string"
    }
  }

  /// True for the integer-valued types (timestamps included).
  public var isInteger: Bool {
    switch self {
    case .ip, .string: false
    default: true
    }
  }
}
