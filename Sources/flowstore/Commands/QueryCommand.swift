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
/// A statement that fails is a ``Failure/query(_:source:)``: printed with a caret under the spot,
/// exit 2.
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
    let result: QueryResult
    do {
      result = try engine.execute(sql)
    } catch {
      throw Failure.query(error, source: sql)
    }
    let f = format ?? (crlf || isatty(1) == 0 ? .csv : .table)
    if f != .json, result.columns.map(\.name) == ["plan"] {
      // EXPLAIN: the plan text as is.
      Output.write(result.rows.map { $0[0].description + "\n" }.joined())
    } else {
      Output.write(f.render(result, crlf: crlf))
    }
  }
}
