import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with posix_spawn, an empty signal mask and default signal actions,
/// reaped with waitpid. (Foundation's Process waits for SIGCHLD, which the test runner's
/// threads block, and its children inherit that mask.)
public struct Child {
  public let pid: pid_t

  /// Starts `tool` with `args`; stdout goes to `output` and stderr to `errors` (file paths),
  /// each to /dev/null when nil.
  public init(_ tool: String, _ args: [String], output: String? = nil, errors: String? = nil) throws
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(
      &actions, 2, errors ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, tool, &actions, &attr, argv, environ)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
    self.pid = pid
  }

  /// The child's wait status once it has been reaped, nil while it may still run.
  public private(set) var status: Int32?

  /// True while the child has not exited (reaps it when it has).
  public mutating func isRunning() -> Bool {
    guard status == nil else { return false }
    var raw: Int32 = 0
    let rc = waitpid(pid, &raw, WNOHANG)
    if rc == 0 { return true }
    if rc == -1 && errno == EINTR { return true }
    status = rc == pid ? raw : -1
    return false
  }

  /// Sends `signal` and waits up to `seconds` for the child to exit; SIGKILL after that.
  /// Returns false when it had to be killed. Does nothing to a child already reaped.
  @discardableResult
  public mutating func stop(_ signal: Int32 = SIGTERM, seconds: Double = 10) -> Bool {
    guard isRunning() else { return true }
    kill(pid, signal)
    return wait(seconds: seconds)
  }

  /// Waits up to `seconds` for exit; kills the child if it is still running then.
  /// Returns false when it had to be killed.
  @discardableResult
  public mutating func wait(seconds: Double) -> Bool {
    var left = Int(seconds * 10)
    while left > 0 {
      if !isRunning() { return true }
      usleep(100_000)
      left -= 1
    }
    if !isRunning() { return true }
    kill(pid, SIGKILL)
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
    status = raw
    return false
  }
}

/// Runs `tool` to completion (at most `seconds`, then it is killed) and returns whether it
/// finished in time and its standard output.
public func spawnRun(_ tool: String, _ args: [String], seconds: Double = 30) throws -> (
  finished: Bool, out: String
) {
  let out = FileManager.default.temporaryDirectory
    .appendingPathComponent("ingest-spawn-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
  defer { unlink(out) }
  var child = try Child(tool, args, output: out)
  let finished = child.wait(seconds: seconds)
  return (finished, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
}

/// Runs `tool` to completion (at most `seconds`) and returns its standard output.
public func spawnOutput(_ tool: String, _ args: [String], seconds: Double = 30) throws -> String {
  try spawnRun(tool, args, seconds: seconds).out
}
