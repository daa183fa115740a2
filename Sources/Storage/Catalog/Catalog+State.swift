extension Catalog {
  /// Stores a state blob under (scope, key), replacing any previous value.
  func putState(scope: String, key: String, value: [UInt8]) throws(StorageError) {
    try db.prepare("INSERT OR REPLACE INTO state(scope, key, value) VALUES(?, ?, ?)")
      .bind([.text(scope), .text(key), .blob(value)]).run()
  }

  /// Every (key, value) stored under `scope`.
  func state(scope: String) throws(StorageError) -> [(key: String, value: [UInt8])] {
    let s = try db.prepare("SELECT key, value FROM state WHERE scope = ? ORDER BY key")
      .bind([.text(scope)])
    var out: [(String, [UInt8])] = []
    while try s.step() { out.append((s.text(0), s.blob(1))) }
    return out
  }
}
