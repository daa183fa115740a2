import Storage

/// ISO 8601 timestamps: `2026-11-28`, `2026-11-28T10:15`, `2026-11-28T10:15:30.250Z`,
/// `2026-11-28 10:15:30+02:00`. No zone means UTC; a bare date means midnight UTC.
enum ISO8601 {
  /// Milliseconds since the epoch, or nil when malformed (see `Timestamp.parse`).
  static func parse(_ text: String) -> Int64? { Timestamp.parse(text) }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
func daysFromCivil(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
  Timestamp.days(year: y, month: m, day: d)
}

/// The civil date of a day number since 1970-01-01.
func civilFromDays(_ z: Int64) -> (year: Int64, month: Int64, day: Int64) {
  Timestamp.civil(fromDays: z)
}

/// Floor division (rounds toward negative infinity).
@inlinable func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// `2026-11-28T10:15:30.250Z`.
func formatTimestamp(_ ms: Int64) -> String { Timestamp.iso8601(ms) }
