import Storage
import Testing

@testable import Query

@Suite struct SmokeTests {
  @Test func groupByPort() throws {
    let e = QueryEngine(provider: TestData.provider(5000))
    let r = try e.execute(
      "SELECT dst_port, sum(bytes) AS b, count(*) FROM flows GROUP BY dst_port ORDER BY b DESC LIMIT 3"
    )
    print(r.rows)
    #expect(r.rows.count == 3)
    let x = try e.execute(
      "EXPLAIN SELECT src_addr, count(*) FROM flows WHERE time >= '2026-11-28T01:00:00Z' AND time < '2026-11-28T02:00:00Z' GROUP BY 1"
    )
    print(x.rows.map { $0[0].description }.joined(separator: "\n"))
  }
}
