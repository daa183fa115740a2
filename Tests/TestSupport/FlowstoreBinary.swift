import Foundation

/// The `flowstore` binary built beside the test bundle, or nil when it is not built.
public let flowstoreBinary: String? = {
  let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for candidate in [dir, dir.deletingLastPathComponent()] {
    let p = candidate.appendingPathComponent("flowstore").path
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}()

/// Runs the built `flowstore` with `args` to completion: exit status, standard output and error.
public func runFlowstore(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: flowstoreBinary!)
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (
    p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self)
  )
}
