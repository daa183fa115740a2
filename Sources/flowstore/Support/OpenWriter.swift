import Storage

/// Opens `directory` for writing for a command that loads it and exits (`import`,
/// `generate --store`), with the background timer off.
///
/// - Throws: ``Failure/badInput(_:)`` when a running writer (`flowstore serve`) holds the
///   directory, saying to stop it or to use another directory (`instead`, e.g. "import into
///   another --data directory"); the store's error otherwise.
func openWriter(directory: String, options: StoreOptions, instead: String) throws -> FlowStore {
  var options = options
  options.backgroundTimer = false
  do {
    return try FlowStore(directory: directory, options: options)
  } catch {
    guard case .locked(let path, let holder) = error else { throw error }
    throw Failure.badInput(
      "data directory \(path) is locked by another writer (\(holder)); stop `flowstore serve` "
        + "first or \(instead)")
  }
}
