import Foundation

/// Locates the shared test data: `$FLOWSTORE_SHARED`, else `<package root>/../shared`.
public enum SharedData {
  public static let root: URL = {
    if let env = ProcessInfo.processInfo.environment["FLOWSTORE_SHARED"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    // <root>/Tests/TestSupport/SharedData.swift
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return package.deletingLastPathComponent().appendingPathComponent("shared")
  }()

  public static var data: URL { root.appendingPathComponent("data") }

  /// Every file under shared/data with the given extensions, sorted by relative path.
  public static func files(extensions: Set<String>) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: data.path) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
      let ext = (rel as NSString).pathExtension
      if extensions.contains(ext) { out.append(rel) }
    }
    return out.sorted()
  }

  public static func bytes(_ rel: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: data.appendingPathComponent(rel)))
  }

  public static func path(_ rel: String) -> String { data.appendingPathComponent(rel).path }

  public static var fixtures: URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
  }
}

/// Runs a program and returns its standard output (standard error discarded).
public func run(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: tool)
  p.arguments = args
  let pipe = Pipe()
  p.standardOutput = pipe
  p.standardError = FileHandle.nullDevice
  try p.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The path of an installed program, or nil.
public func which(_ name: String) -> String? {
  for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"] {
    let p = dir + "/" + name
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}
