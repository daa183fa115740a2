/// The time fields of one data record, as read (before they are resolved to start and end by
/// ``FlowDecoder/resolveTimes(_:ctx:systemInit:unanchored:)``).
struct RecordTimes {
  /// Absolute start and end in ms since the Unix epoch (from seconds, ms, µs or ns fields).
  var startAbs: Int64?
  var endAbs: Int64?
  /// sysUpTime-relative start and end (ms).
  var startUptime: UInt32?
  var endUptime: UInt32?
  /// Microseconds before the export time.
  var startDeltaMicros: UInt32?
  var endDeltaMicros: UInt32?
  /// observationTimeMilliseconds.
  var observationMillis: Int64?
}
