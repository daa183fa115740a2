/// The permissions of what a store creates. Flow records say who talks to whom, so the data
/// directory is private to the user that runs the store: folders 0700, files 0600 (the process
/// umask can only narrow them further).
public enum StoreModes {
  /// Files: segments, WAL files, the catalog, the lock.
  public static let file: UInt32 = 0o600
  /// Folders: the data directory and those under it.
  public static let directory: UInt32 = 0o700
}
