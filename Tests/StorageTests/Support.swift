import Foundation

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
func rowsOf(_ batch: ColumnBatch) -> [String] {
  let cols = batch.schema.columns.indices.map {
    batch.columns[$0] ?? .nulls(batch.schema.columns[$0].type, count: batch.rowCount)
  }
  return (0..<batch.rowCount).map { r in cols.map { cell($0, r) }.joined(separator: "|") }
}

func cell(_ v: ColumnVector, _ r: Int) -> String {
  guard v.isValid(r) else { return "NULL" }
  switch v.values {
  case .uint8(let a): return "\(a[r])"
  case .uint16(let a): return "\(a[r])"
  case .uint32(let a): return "\(a[r])"
  case .uint64(let a): return "\(a[r])"
  case .timestamp(let a): return "t\(a[r])"
  case .ip(let a): return a[r].description
  case .string(let a): return "'\(a[r])'"
  }
}
