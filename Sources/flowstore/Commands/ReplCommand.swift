import ArgumentParser
import CEdit
import Query
import Storage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by SIGINT while a query runs; the engine checks it and stops with "query cancelled".
private let interrupt = CancellationFlag()

/// `flowstore repl [--data DIR]`: an interactive FlowQL shell with libedit line editing and
/// history in `~/.flowstore_history`. Statements end with `;` and may span lines.
struct ReplCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "Interactive FlowQL shell.")

  @Option(name: .long, help: "The data directory.")
  var data: String = "./flowstore-data"

  @OptionGroup var engineOptions: EngineOptions

  /// Rows shown in table format before the output is truncated with a note.
  static let maxTableRows = 1000

  func run() throws {
    let provider = try openTableProvider(dataDirectory: data)
    var session = ReplSession(engine: engineOptions.engine(provider))
    signal(SIGINT) { _ in interrupt.cancel() }
    let history = (getenv("HOME").map { String(cString: $0) } ?? ".") + "/.flowstore_history"
    _ = read_history(history)
    stifle_history(5000)
    Output.write("FlowStore REPL: statements end with ';', \\help for help, \\q to quit.\n")
    var buffer = ""
    while true {
      interrupt.reset()
      guard let raw = readline(buffer.isEmpty ? "flowql> " : "   ...> ") else {
        Output.write("\n")
        break
      }
      let line = String(cString: raw)
      free(raw)
      let trimmed = line.trimmingSpaces()
      if buffer.isEmpty && trimmed.isEmpty { continue }
      if buffer.isEmpty && trimmed.hasPrefix("\\") {
        _ = add_history(trimmed)
        _ = write_history(history)
        if !session.meta(trimmed) { break }
        continue
      }
      buffer += (buffer.isEmpty ? "" : "\n") + line
      if trimmed.hasSuffix(";") {
        _ = add_history(buffer)
        _ = write_history(history)
        session.run(buffer)
        buffer = ""
      }
    }
    _ = write_history(history)
  }
}

/// The REPL's state: output format, timing, and how statements and meta-commands run.
struct ReplSession {
  let engine: QueryEngine
  var format = OutputFormat.table
  /// CSV rows end in `\r\n` (`\format csv crlf`).
  var crlf = false
  var timing = false

  /// Runs a statement; errors are printed and never end the session.
  mutating func run(_ sql: String) {
    let start = SystemClock.monotonicNanoseconds()
    do {
      let r = try engine.execute(sql, cancel: interrupt)
      Output.write(format.render(r, maxRows: ReplCommand.maxTableRows, crlf: crlf))
    } catch {
      // The one renderer of the command line; the session goes on.
      Output.error(Failure.query(error, source: sql).text)
    }
    if timing {
      Output.write(
        "Time: \(String(format3(Double(SystemClock.monotonicNanoseconds() - start) / 1e6))) ms\n")
    }
  }

  /// Handles a meta-command; false means quit.
  mutating func meta(_ command: String) -> Bool {
    let parts = command.split(separator: " ").map(String.init)
    switch parts[0] {
    case "\\q", "\\quit": return false
    case "\\d":
      run(parts.count > 1 ? "DESCRIBE \(parts[1])" : "SHOW TABLES")
    case "\\timing":
      timing.toggle()
      Output.write("Timing is \(timing ? "on" : "off").\n")
    case "\\format":
      if parts.count > 1, let f = OutputFormat(rawValue: parts[1]),
        parts.count == 2 || (f == .csv && parts.count == 3 && parts[2] == "crlf")
      {
        format = f
        crlf = parts.count == 3
        Output.write("Output format is \(f.rawValue)\(crlf ? " (rows end in \\r\\n)" : "").\n")
      } else {
        Output.error("usage: \\format table|csv|json, or \\format csv crlf for \\r\\n row ends")
      }
    case "\\help", "\\h", "\\?":
      Output.write(
        """
        Statements end with ';' and may span lines. Ctrl-C cancels a running query.
          SELECT ... FROM flows [WHERE ...] [GROUP BY ...] [COMPARE WITH 1d AGO]
                 [HAVING ...] [ORDER BY ...] [LIMIT n];
          EXPLAIN SELECT ...;   SHOW TABLES;   DESCRIBE flows;
        Meta-commands:
          \\d             list tables          \\d flows     describe a table
          \\timing        toggle query timing  \\format csv  table, csv or json
                                               (\\format csv crlf: rows end in \\r\\n)
          \\help          this text            \\q           quit
        See docs/FLOWQL.md for the language.

        """)
    default:
      Output.error("unknown meta-command \(parts[0]) (\\help lists them)")
    }
    return true
  }
}

private func format3(_ v: Double) -> String {
  let r = (v * 1000).rounded() / 1000
  return String(r)
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
