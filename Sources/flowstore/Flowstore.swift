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

  /// Parses, runs, and renders any failure as one line on standard error with a non-zero exit.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var async = command as? any AsyncParsableCommand {
        try await async.run()
      } else {
        try command.run()
      }
    } catch let failure as Failure {
      FileHandle.standardError.write(Data(("flowstore: error: " + failure.message + "\n").utf8))
      Foundation.exit(failure.exitCode)
    } catch let error as StorageError {
      FileHandle.standardError.write(Data(("flowstore: error: " + error.description + "\n").utf8))
      Foundation.exit(1)
    } catch {
      exit(withError: error)
    }
  }
}
