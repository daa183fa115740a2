import ArgumentParser
import Query

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Output formats of `query` and the REPL.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case table
  case csv
  case json

  /// Renders a result; the table is truncated to `maxRows` rows with a note; CSV rows end in
  /// `\n`, or in `\r\n` when `crlf` is set.
  func render(_ r: QueryResult, maxRows: Int = Int.max, crlf: Bool = false) -> String {
    switch self {
    case .table: TableFormatter.format(r, maxRows: maxRows) + "\n"
    case .csv: CSVFormatter.format(r, crlf: crlf)
    case .json: JSONFormatter.format(r)
    }
  }
}

/// `flowstore query [--data DIR] [--format table|csv|json] [--crlf] "SQL"`: runs one FlowQL
/// statement.
/// Exits 2 on a query error (printed with a caret under the spot).
struct QueryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query", abstract: "Run one FlowQL statement and print the result.")

  @Option(name: .long, help: "The data directory.")
  var data: String = "./flowstore-data"

  @Option(
    name: .long,
    help: "table, csv or json (lines); default: table on a terminal, csv otherwise.")
  var format: OutputFormat?

  @Flag(
    name: .long,
    help: """
      End CSV rows in \\r\\n, as RFC 4180 asks (default \\n, as DuckDB, psql --csv and \
      nfdump do). Implies --format csv.
      """)
  var crlf = false

  @OptionGroup var engineOptions: EngineOptions

  @Argument(help: "The statement, e.g. \"SELECT dst_port, sum(bytes) FROM flows GROUP BY 1\".")
  var sql: String

  func validate() throws {
    if crlf, let format, format != .csv {
      throw Failure.badInput("--crlf applies to CSV output, not --format \(format.rawValue)")
    }
  }

  func run() throws {
    let provider = try openTableProvider(dataDirectory: data)
    let engine = engineOptions.engine(provider)
    do {
      let result = try engine.execute(sql)
      let f = format ?? (crlf || isatty(1) == 0 ? .csv : .table)
      if f != .json, result.columns.map(\.name) == ["plan"] {
        // EXPLAIN: the plan text as is.
        writeOut(result.rows.map { $0[0].description + "\n" }.joined())
      } else {
        writeOut(f.render(result, crlf: crlf))
      }
    } catch {
      printError(error.render(source: sql))
      throw ExitCode(2)
    }
  }
}

/// Writes to standard error.
func printError(_ s: String) {
  writeFD(2, s + "\n")
}

/// Writes to standard output without buffering surprises.
func writeOut(_ s: String) {
  writeFD(1, s)
}

private func writeFD(_ fd: Int32, _ s: String) {
  var bytes = Array(s.utf8)[...]
  while !bytes.isEmpty {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      return
    }
    bytes = bytes.dropFirst(n)
  }
}
