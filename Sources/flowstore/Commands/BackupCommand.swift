import ArgumentParser
import Storage

/// `flowstore backup`: a consistent copy of the data directory, safe while `serve` runs.
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the data directory consistently, while `flowstore serve` writes to it.",
    discussion: """
      Writes into --to (created; it must not exist or be empty) the catalog as of one \
      transaction (SQLite's VACUUM INTO), every sealed segment that catalog names, and the \
      write-ahead log, which holds the rows not yet sealed. The copy is what the directory \
      would hold after a crash at the moment the catalog was read, plus the rows logged while \
      the copy ran: it opens like any data directory (`info`, `query`, `verify`, or `serve` \
      after a restore). A seal or retention during the copy makes it start over. Restore by \
      stopping serve and putting the copy in place of the data directory. See \
      docs/OPERATIONS.md.
      """)

  @OptionGroup var options: DataOptions

  @Option(name: .long, help: ArgumentHelp("Directory to write the copy into.", valueName: "dir"))
  var to: String

  func run() throws {
    let s: StoreBackup.Summary
    do {
      s = try StoreBackup.copy(from: options.data, to: to)
    } catch StorageError.notAStore(let p) {
      throw Failure.badInput(
        "\(p) is not a FlowStore data directory (start `flowstore serve --data \(p)` to create one)"
      )
    }
    Output.line(
      "backup of \(options.data) in \(to): \(Format.count(s.segments)) segments, "
        + "\(Format.count(s.walFiles)) WAL files, \(Format.bytes(s.bytes))"
        + (s.attempts > 1 ? " (\(s.attempts) attempts: the writer sealed meanwhile)" : ""))
  }
}
