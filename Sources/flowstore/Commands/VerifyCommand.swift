import ArgumentParser
import Storage

/// `flowstore verify`: read every block and check every checksum.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Read every block of every segment and check its checksum.",
    discussion: """
      Prints one line per damaged block or segment, naming the file, column and block, and exits \
      with status 3 when anything is damaged. With --skip-corrupt, segments whose footer cannot \
      be read are skipped (and listed) rather than stopping the check.
      """)

  @OptionGroup var options: DataOptions

  @Flag(help: "Skip unreadable segments and report them instead of stopping.")
  var skipCorrupt = false

  func run() throws {
    let reader = try options.reader(skipCorrupt: skipCorrupt)
    var problems: [String] = []
    var checked = 0
    for schema in try reader.tableSchemas() {
      let found: [StorageError]
      do throws(StorageError) {
        found = try reader.verify(table: schema.name)
      } catch {
        throw Failure.corrupt(error.description)
      }
      problems += found.map(\.description)
      checked += 1
    }
    problems = reader.skipped.map { "skipped: " + $0 } + problems
    for p in problems { Output.line(p) }
    if !problems.isEmpty {
      throw Failure.corrupt("\(problems.count) damaged segment(s) or block(s)")
    }
    Output.line("ok: \(checked) table(s), every block reads and matches its checksum")
  }
}
