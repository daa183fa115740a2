import Foundation
import TestSupport
import Testing

@testable import Storage

/// The data directory is private: everything a store creates (folders, segments, WAL files, the
/// catalog and its SQLite side files, the lock) is readable by its owner only, or by its group
/// too when asked.
@Suite struct StoreModesTests {
  /// Private by default; with ``StoreModes/group`` (`--group`), the group reads too: folders
  /// 0750, files 0640 (less what the process umask removes).
  @Test(arguments: [StoreModes.private, .group])
  func everythingTheStoreCreatesHasItsModes(_ modes: StoreModes) throws {
    let mask = Int(Self.umask)
    let base = temporaryDirectory()
    defer { cleanup(base) }
    let dir = base + "/data"
    var options = StoreOptions()
    options.fileSystem = PosixFileSystem(modes: modes)
    options.backgroundTimer = false
    options.blockRows = 1000
    let store = try FlowStore(directory: dir, options: options)
    try store.append(randomFlows(rows: 3000, seed: 3))
    try store.seal()
    try store.append(randomFlows(rows: 500, seed: 4))  // left in the WAL
    var seen = 0
    var files = 0
    for path in [dir] + (FileManager.default.subpaths(atPath: dir) ?? []).map({ dir + "/" + $0 }) {
      let attrs = try FileManager.default.attributesOfItem(atPath: path)
      let mode = (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
      let isFile = (attrs[.type] as? FileAttributeType) == .typeRegular
      let expected = Int(isFile ? modes.file : modes.directory) & ~mask
      #expect(mode == expected, "\(path) has mode \(String(mode, radix: 8))")
      seen += 1
      if isFile { files += 1 }
    }
    try store.close()
    // Segments, WAL, catalog (and its side files), lock: the walk saw them.
    #expect(files >= 4, "only \(files) files under \(dir)")
    #expect(seen > files)
  }

  /// The process umask (read by setting it and putting it back).
  static let umask: mode_t = {
    let m = Foundation.umask(0o022)
    Foundation.umask(m)
    return m
  }()
}
