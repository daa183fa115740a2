import Foundation
import Storage
import Testing

@testable import Query

/// Every ```sql block of docs/FLOWQL.md parses, plans and runs.
@Suite struct DocsExamplesTests {
  static func examples() throws -> [String] {
    var url = #filePath
    for _ in 0..<3 { url = String(url[..<url.lastIndex(of: "/")!]) }
    let text = try String(contentsOfFile: url + "/docs/FLOWQL.md", encoding: .utf8)
    var out: [String] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil, line == "```sql" {
        current = []
      } else if current != nil, line == "```" {
        out.append(current!.joined(separator: "\n"))
        current = nil
      } else if current != nil {
        current!.append(line)
      }
    }
    return out
  }

  @Test func everyExampleRuns() throws {
    let examples = try Self.examples()
    #expect(examples.count >= 30)
    let engine = QueryEngine(provider: TestData.provider(3000))
    for sql in examples {
      do {
        _ = try engine.execute(sql, now: TestData.day + 86_400_000)
      } catch {
        Issue.record("docs example failed: \(error.render(source: sql))")
      }
    }
  }
}
