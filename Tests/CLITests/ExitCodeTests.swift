import Foundation
import Storage
import TestSupport
import Testing

/// The exit-code rule of the README, through the built binary: every failure is rendered once,
/// on standard error, by the one renderer (`Failure`), with the code of its kind.
@Suite(.serialized)
struct ExitCodeTests {
  static let enabled = ImportCommandTests.binary != nil

  /// A store with one flow in it.
  static func store() throws -> String {
    let dir = temporaryDirectory("exit-codes")
    var options = StoreOptions()
    options.backgroundTimer = false
    let store = try FlowStore(directory: dir, options: options)
    try store.append(randomFlows(rows: 1, seed: 1))
    try store.close()
    return dir
  }

  @Test(.enabled(if: enabled, "the flowstore binary is not built beside the tests"))
  func eachKindOfFailureHasItsCode() throws {
    let dir = try Self.store()
    defer { cleanup(dir) }
    let ok = try ImportCommandTests.flowstore([
      "query", "--data", dir, "SELECT count(*) FROM flows",
    ])
    #expect(ok.status == 0, "\(ok.err)")
    #expect(ok.out == "count(*)\n1\n")
    #expect(ok.err.isEmpty)

    // A statement: 2, the message with line and column and a caret, nothing on stdout.
    let q = try ImportCommandTests.flowstore(["query", "--data", dir, "SELECT dst_prot FROM flows"])
    #expect(q.status == 2)
    #expect(q.out.isEmpty)
    #expect(
      q.err == """
        flowstore: error at line 1, column 8: unknown column 'dst_prot' (did you mean 'dst_port'?)
          SELECT dst_prot FROM flows
                 ^

        """, "\(q.err)")

    // Bad input: 1, one line.
    let missing = dir + "/nothing-here"
    let b = try ImportCommandTests.flowstore(["query", "--data", missing, "SELECT 1"])
    #expect(b.status == 1)
    #expect(b.err.hasPrefix("flowstore: error: \(missing) is not a FlowStore data directory"))
    #expect(b.err.split(separator: "\n").count == 1, "\(b.err)")

    // A command line argument-parser rejects: 64.
    let u = try ImportCommandTests.flowstore(["query", "--data", dir])
    #expect(u.status == 64, "\(u.err)")
  }

  /// The REPL renders a failing statement like `query` does and goes on to the next one.
  @Test(.enabled(if: enabled, "the flowstore binary is not built beside the tests"))
  func replRendersErrorsAndGoesOn() throws {
    let dir = try Self.store()
    defer { cleanup(dir) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ImportCommandTests.binary!)
    p.arguments = ["repl", "--data", dir]
    let input = Pipe()
    let out = Pipe()
    let err = Pipe()
    p.standardInput = input
    p.standardOutput = out
    p.standardError = err
    try p.run()
    input.fileHandleForWriting.write(
      Data("SELECT x FROM flows;\n\\format csv\nSELECT count(*) FROM flows;\n".utf8))
    try input.fileHandleForWriting.close()
    let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    #expect(e.contains("error at line 1, column 8: unknown column 'x'"), "\(e)")
    #expect(o.contains("count(*)\n1\n"), "\(o)")
  }
}
