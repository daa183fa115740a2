import Foundation

/// A fresh, empty temporary directory named after `tag` (the calling test by default); the
/// caller removes it with ``cleanup(_:)``.
public func temporaryDirectory(_ tag: String = #function) -> String {
  let base = FileManager.default.temporaryDirectory.path
  let name = tag.filter { $0.isLetter || $0.isNumber || $0 == "-" }
  let path = "\(base)/flowstore-test-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// ``temporaryDirectory(_:)`` as a file URL.
public func temporaryDirectoryURL(_ tag: String = #function) -> URL {
  URL(fileURLWithPath: temporaryDirectory(tag), isDirectory: true)
}

/// Removes a temporary directory and everything in it.
public func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
