import Foundation
import TestSupport

@testable import Storage

/// Every row of a snapshot, as a comparable text line per row (order-insensitive comparisons sort).
func rowsOf(_ snapshot: Snapshot) throws -> [String] {
  let all = Array(snapshot.schema.columns.indices)
  var out: [String] = []
  for u in snapshot.units {
    let cols = try u.read(columns: all)
    for r in 0..<u.rowCount { out.append(cols.map { cell($0, r) }.joined(separator: "|")) }
  }
  return out
}

/// The rows of a batch in the same text form.
func rowsOf(_ batch: ColumnBatch) -> [String] { batch.rowLines }

func cell(_ v: ColumnVector, _ r: Int) -> String { cellText(v, r) }
