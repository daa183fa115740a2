import ArgumentParser
import Storage

/// The `--data DIR` option every command shares.
struct DataOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "dir"))
  var data: String = "./flowstore-data"

  init() {}

  /// Options naming `data` (for callers outside argument parsing).
  init(data: String) { self.data = data }

  /// Opens the directory for reading, or fails with one line when it is not a store.
  func reader(skipCorrupt: Bool = false) throws -> StoreReader {
    do {
      return try StoreReader(directory: data, skipCorrupt: skipCorrupt)
    } catch StorageError.notAStore(let p) {
      throw Failure.badInput(
        "\(p) is not a FlowStore data directory (start `flowstore serve --data \(p)` to create one)"
      )
    }
  }
}
