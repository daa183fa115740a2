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

  @Test func csvIsRFC4180() {
    #expect(
      CSVFormatter.format(result)
        == "time,addr,app,n,f\r\n2026-11-28T00:00:00.250Z,2001:db8::1,\"a,\"\"b\"\"\",7,0.5\r\n,10.0.0.1,,,2.0\r\n"
    )
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
