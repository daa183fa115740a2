/// The paths inside a data directory.
struct StoreLayout: Sendable {
  let root: String
  var catalog: String { root + "/catalog.db" }
  var segments: String { root + "/segments" }
  var wal: String { root + "/wal" }

  func segment(_ file: String) -> String { segments + "/" + file }
}
