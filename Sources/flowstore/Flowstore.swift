import ArgumentParser
import Foundation
import Storage

/// The `flowstore` command: one binary, one data directory.
@main
struct Flowstore: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flowstore",
    abstract: "An embedded store for network flow records (NetFlow v5/v9, IPFIX).",
    discussion: """
      FlowStore keeps flow records in columnar, LZ4-compressed, append-only segments under one \
      data directory (default ./flowstore-data), with a SQLite catalog beside them.
      """,
    subcommands: [
      ServeCommand.self, ExportersCommand.self, ImportCommand.self, GenerateCommand.self,
      BackupCommand.self,
      InfoCommand.self, QueryCommand.self, ReplCommand.self, VerifyCommand.self,
    ])

  /// Parses, runs, and renders any failure on standard error with its exit code (``Failure``
  /// holds the rule); argument-parser renders its own errors (usage, `--help`).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var async = command as? any AsyncParsableCommand {
        try await async.run()
      } else {
        try command.run()
      }
    } catch {
      guard let failure = Failure(error) else { exit(withError: error) }
      Output.error("flowstore: " + failure.text)
      Foundation.exit(failure.exitCode)
    }
  }
}
