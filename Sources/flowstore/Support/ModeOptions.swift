import ArgumentParser
import Storage

/// The `--group` flag of the commands that create a data directory (`serve`, `import`).
struct ModeOptions: ParsableArguments {
  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Let the owner's group read the data directory.",
      discussion: """
        Flow records say who talks to whom, so what the store creates is private to its owner: \
        folders 0700, files 0600. With --group, folders are 0750 and files 0640. The umask can \
        only narrow them; files and folders that exist already keep their mode.
        """))
  var group = false

  /// The permissions the store creates files and folders with.
  var modes: StoreModes { group ? .group : .private }

  /// Makes `options` create its files and folders with ``modes``.
  func apply(to options: inout StoreOptions) {
    options.fileSystem = PosixFileSystem(modes: modes)
  }
}
