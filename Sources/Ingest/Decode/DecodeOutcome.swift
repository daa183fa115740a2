/// Why a message or set was rejected.
public enum DecodeError: Error, Sendable, Equatable {
  /// Fewer bytes than the message header needs.
  case truncatedHeader
  /// The version field is not 5, 9 or 10.
  case unsupportedVersion(UInt16)
  /// A NetFlow v5 record count that is zero, above 30 or beyond the datagram.
  case badRecordCount(UInt16)
  /// An IPFIX message length shorter than its header or longer than the datagram.
  case badMessageLength(Int)
  /// A set (flowset) length shorter than its header or past the end of the message.
  case badSetLength(setID: UInt16, length: Int)
  /// A template record that runs past its set or is otherwise malformed.
  case badTemplate(templateID: UInt16)
  /// A variable-length record that runs past its set.
  case truncatedRecord(templateID: UInt16)
  /// Bytes after the last message that do not form another message.
  case trailingBytes(Int)
  /// The exporter table is full (see ``DecoderLimits/maxExporters``).
  case tooManyExporters
}

/// What one ``FlowDecoder/decode(_:exporter:receivedAt:into:)`` call did.
public struct DecodeOutcome: Sendable, Equatable {
  /// The version of the first message (5, 9 or 10), 0 when unreadable.
  public var version: UInt16 = 0
  /// Messages decoded.
  public var messages = 0
  /// Flow records appended to the builder (including released held sets).
  public var records = 0
  /// Options data records decoded.
  public var optionRecords = 0
  /// Template and options template records received.
  public var templates = 0
  /// Template withdrawals.
  public var withdrawals = 0
  /// Data sets held for a missing template.
  public var heldSets = 0
  /// Held data sets decoded because their template arrived.
  public var releasedSets = 0
  /// Held data sets dropped to make room.
  public var droppedSets = 0
  /// Sequence gaps seen.
  public var sequenceGaps = 0
  /// Sequence resets seen (jumps beyond ``FlowDecoder/sequenceWindow``).
  public var sequenceResets = 0
  /// Malformed messages or sets (each counted once in the exporter's decode errors).
  public var errors = 0
  /// The first error, if any.
  public var firstError: DecodeError?

  /// Creates an empty outcome.
  public init() {}

  mutating func fail(_ e: DecodeError) {
    errors += 1
    if firstError == nil { firstError = e }
  }
}
