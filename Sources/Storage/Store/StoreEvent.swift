/// Something the writer did that an observer may want to count or time (see
/// ``StoreOptions/onEvent``). Events are delivered on the thread that did the work, with the
/// store's lock held: an observer must return quickly and must not call back into the store.
public enum StoreEvent: Sendable {
  /// The WAL was fsynced (only syncs that had appends to write), taking `nanoseconds`.
  case walSynced(nanoseconds: Int64)
  /// A seal wrote `segments` segment files holding `rows` rows and `bytes` bytes, taking
  /// `nanoseconds` from the first encoded block to the catalog commit.
  case sealed(segments: Int, rows: Int, bytes: Int, nanoseconds: Int64)
  /// Retention removed `segments` segment files.
  case retentionDropped(segments: Int)
}
