/// The permissions of what a store creates. Flow records say who talks to whom, so the data
/// directory is private to the user that runs the store: folders 0700, files 0600. With
/// ``group`` (`--group` on the command line) the owner's group may read it too: folders 0750,
/// files 0640. The process umask can only narrow them further, and what exists already keeps
/// its mode.
public struct StoreModes: Sendable, Hashable {
  /// Files: segments, WAL files, the catalog (and SQLite's side files), the lock.
  public let file: UInt32
  /// Folders: the data directory and those under it.
  public let directory: UInt32

  /// Owner only: files 0600, folders 0700 (the default).
  public static let `private` = StoreModes(file: 0o600, directory: 0o700)
  /// Owner, and read access for the owner's group: files 0640, folders 0750.
  public static let group = StoreModes(file: 0o640, directory: 0o750)
}
