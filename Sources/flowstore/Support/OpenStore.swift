import Query
import Storage

// TEMPORARY: the lead replaces this with the on-disk StoreReader once Storage has it. Until
// then every data directory reads as an empty `flows` table.

/// Opens the store in `dataDirectory` for reading.
func openTableProvider(dataDirectory: String) throws -> any TableProvider {
  MemoryTableProvider.emptyFlows
}
