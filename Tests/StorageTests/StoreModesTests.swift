import Foundation
import Testing

@testable import Storage

/// The data directory is private: everything a store creates (folders, segments, WAL files, the
/// catalog and its SQLite side files, the lock) is readable by its owner only.
@Suite struct StoreModesTests {
  @Test func everythingTheStoreCreatesIsPrivate() throws {
    let base = temporaryDirectory()
    defer { cleanup(base) }
    let dir = base + "/data"
    var options = StoreOptions()
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
      #expect(mode & 0o077 == 0, "\(path) has mode \(String(mode, radix: 8))")
      seen += 1
      if (attrs[.type] as? FileAttributeType) == .typeRegular { files += 1 }
    }
    try store.close()
    // Segments, WAL, catalog (and its side files), lock: the walk saw them.
    #expect(files >= 4, "only \(files) files under \(dir)")
    #expect(seen > files)
  }
}
