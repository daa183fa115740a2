import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `flowstore` binary built beside the test bundle (TestSupport's).
let flowstoreBinary = TestSupport.flowstoreBinary

/// The first `name` on PATH (or in /usr/sbin, /usr/bin), or nil.
func which(_ name: String) -> String? {
  let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin"
  for dir in path.split(separator: ":") {
    let p = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}

/// Runs `flowstore` with `args` to completion: exit status, standard output and error.
@discardableResult
func flowstore(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
  try runFlowstore(args)
}

/// A process running in the background, its output in a file; killed (SIGKILL) when released
/// unless it was stopped before.
final class Background {
  let process = Process()
  let log: URL

  /// Starts `executable` with `args`, standard output and error going to `log`.
  init(_ executable: String, _ args: [String], log: URL) throws {
    self.log = log
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  /// What the process wrote so far.
  var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

  /// Waits up to `seconds` for `text` to appear in the output; false on timeout or exit.
  func waitFor(_ text: String, seconds: Double = 20) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if output.contains(text) { return true }
      if !process.isRunning { return output.contains(text) }
      usleep(50_000)
    }
    return false
  }

  /// Sends SIGTERM and waits for the exit; returns the exit status.
  @discardableResult
  func stop() -> Int32 {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    return process.terminationStatus
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

/// A port nobody listens on now (the system's choice for a socket of `type` bound to port 0).
func freePort(_ type: Int32 = Int32(SOCK_STREAM.rawValue)) -> Int {
  let fd = socket(AF_INET, type, 0)
  defer { close(fd) }
  var a = sockaddr_in()
  a.sin_family = sa_family_t(AF_INET)
  a.sin_addr.s_addr = inet_addr("127.0.0.1")
  a.sin_port = 0
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &a) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
      bind(fd, p, len)
      return getsockname(fd, p, &len)
    }
  }
  return Int(UInt16(bigEndian: a.sin_port))
}

/// A fresh private temporary directory.
func temporaryDirectory(_ name: String) throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "flowstore-\(name)-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

/// `1,234,567` → 1234567.
func number(_ text: some StringProtocol) -> Int? {
  Int(text.replacingOccurrences(of: ",", with: ""))
}

/// Starts `serve` on `data` listening on a free UDP port of 127.0.0.1 with `extra` options;
/// returns it with the port once it listens.
func startServe(data: URL, log: URL, _ extra: [String] = []) throws -> (Background, Int) {
  let port = freePort(Int32(SOCK_DGRAM.rawValue))
  let serve = try Background(
    flowstoreBinary!,
    ["serve", "--data", data.path, "--listen", "127.0.0.1:\(port)", "--stats-interval", "0.2"]
      + extra, log: log)
  guard serve.waitFor("storing into") else {
    throw TestFailure("serve did not start: \(serve.output)")
  }
  return (serve, port)
}

/// Sends `records` synthetic records to 127.0.0.1:`port` with `flowstore generate`.
func generate(port: Int, records: Int, rate: Int = 25_000, seed: Int = 1) throws {
  let r = try flowstore([
    "generate", "--to", "127.0.0.1:\(port)", "--records", "\(records)", "--rate", "\(rate)",
    "--seed", "\(seed)",
  ])
  guard r.status == 0 else { throw TestFailure("generate failed: \(r.err)") }
}

/// Polls `condition` every 0.2 s for up to 30 s; throws naming `what` on timeout.
func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
  let end = Date().addingTimeInterval(30)
  while Date() < end {
    if try condition() { return }
    usleep(200_000)
  }
  throw TestFailure("timed out waiting for \(what)")
}

/// A failed step of a test, with what went wrong.
struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
