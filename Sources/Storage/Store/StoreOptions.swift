/// How a store is run. Every field has a default suitable for a collector.
public struct StoreOptions: Sendable {
  /// How often the WAL is fsynced (seconds). A `kill -9` loses nothing acknowledged; a power
  /// loss loses at most this much.
  public var syncInterval: Double = 0.1
  /// Write the WAL with direct I/O where the file system allows it: no copy into the page
  /// cache and no write-back by the periodic fsync (less CPU per row), but each append waits
  /// for the device instead of for a memory copy. Off by default, so that a bulk load is not
  /// held to the device's speed; `flowstore serve` turns it on (its appends are decoupled from
  /// receiving by a queue).
  public var walDirectIO: Bool = false
  /// Seal the in-memory rows once this many have accumulated.
  public var sealRows: Int = 1_000_000
  /// Seal in-memory rows older than this many seconds, even when `sealRows` is not reached.
  public var sealAge: Double = 300
  /// Threads that encode blocks while sealing (1: seal on the appending thread only).
  public var sealThreads: Int = 2
  /// Rows per block inside a segment.
  public var blockRows: Int = 16_384
  /// Width of a time partition (ms); segments never span two partitions.
  public var partitionMilliseconds: Int64 = 3_600_000
  /// Drop segments whose newest row is older than this (ms); nil keeps everything.
  public var retentionMilliseconds: Int64? = nil
  /// Run the background sync/seal timer (tests may drive sync and seal by hand instead).
  public var backgroundTimer: Bool = true
  /// The file system seam.
  public var fileSystem: any FileSystem = PosixFileSystem()
  /// Called with errors raised in the background (sealing, syncing, retention).
  public var onBackgroundError: (@Sendable (StorageError) -> Void)? = nil
  /// Called when the WAL is synced, a seal completes or retention drops segments (for metrics).
  public var onEvent: (@Sendable (StoreEvent) -> Void)? = nil

  /// Default options.
  public init() {}
}
