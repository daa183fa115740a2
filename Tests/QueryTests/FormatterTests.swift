import Storage
import Testing

@testable import Query

@Suite struct FormatterTests {
  let result = QueryResult(
    columns: [
      ResultColumn(name: "time", type: .timestamp), ResultColumn(name: "addr", type: .ip),
      ResultColumn(name: "app", type: .string), ResultColumn(name: "n", type: .int),
      ResultColumn(name: "f", type: .float),
    ],
    rows: [
      [
        .timestamp(1_795_824_000_250), .ip(IPAddress("2001:db8::1")!), .string("a,\"b\""), .int(7),
        .float(0.5),
      ],
      [.null, .ip(IPAddress("10.0.0.1")!), .null, .null, .float(2)],
    ])

  /// Rows end in "\n" by default (as DuckDB's, psql --csv's and nfdump's), in "\r\n" with
  /// `crlf` (RFC 4180); quoting is RFC 4180's either way.
  @Test func csvEndsRowsInNewlineOrCRLF() {
    let rows = [
      "time,addr,app,n,f", "2026-11-28T00:00:00.250Z,2001:db8::1,\"a,\"\"b\"\"\",7,0.5",
      ",10.0.0.1,,,2.0",
    ]
    #expect(CSVFormatter.format(result) == rows.map { $0 + "\n" }.joined())
    #expect(CSVFormatter.format(result, crlf: true) == rows.map { $0 + "\r\n" }.joined())
  }

  /// A field holding a line break is quoted, "\r\n" (one Character in Swift) included.
  @Test func csvQuotesLineBreaks() {
    let r = QueryResult(
      columns: [ResultColumn(name: "s", type: .string)],
      rows: [[.string("a\nb")], [.string("c\r\nd")], [.string("e\rf")], [.string("plain")]])
    #expect(CSVFormatter.format(r) == "s\n\"a\nb\"\n\"c\r\nd\"\n\"e\rf\"\nplain\n")
  }

  @Test func jsonLines() {
    #expect(
      JSONFormatter.format(result)
        == """
        {"time":"2026-11-28T00:00:00.250Z","addr":"2001:db8::1","app":"a,\\"b\\"","n":7,"f":0.5}
        {"time":null,"addr":"10.0.0.1","app":null,"n":null,"f":2.0}

        """)
  }

  @Test func tableAlignsAndTruncates() {
    let t = TableFormatter.format(result, maxRows: 1)
    let lines = t.split(separator: "\n")
    #expect(lines[0] == "time                     | addr        | app   | n |   f")
    #expect(lines[2] == "2026-11-28T00:00:00.250Z | 2001:db8::1 | a,\"b\" | 7 | 0.5")
    #expect(lines.last == "(2 rows, first 1 shown; use LIMIT or \\format csv for all)")
  }
}
