import Query
import Storage

extension StoreReader: TableProvider {}

/// Opens the store in `dataDirectory` for reading, as the query engine's table provider.
///
/// - Throws: ``Failure/badInput(_:)`` when the directory holds no store.
func openTableProvider(dataDirectory: String) throws -> any TableProvider {
  try DataOptions(data: dataDirectory).reader()
}
