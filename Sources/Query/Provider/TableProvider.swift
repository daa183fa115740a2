import Storage

/// Where queries get their tables: the on-disk store conforms, and ``MemoryTableProvider``
/// serves tests and benchmarks.
public protocol TableProvider: Sendable {
  /// The schemas of every table.
  func tableSchemas() throws -> [TableSchema]
  /// Units for a table, segments outside `timeRange` (ms, half-open) already pruned.
  func snapshot(table: String, timeRange: Range<Int64>?) throws -> Snapshot
}

/// Tables held in memory as scan units (for tests and benchmarks).
public struct MemoryTableProvider: TableProvider {
  private let tables: [String: (TableSchema, [ScanUnit])]

  /// Serves the given tables: schema and units each.
  public init(tables: [(TableSchema, [ScanUnit])]) {
    var t: [String: (TableSchema, [ScanUnit])] = [:]
    for (s, u) in tables { t[s.name] = (s, u) }
    self.tables = t
  }

  /// Serves one batch as table `batch.schema.name`, cut into units of `unitRows` rows.
  public init(batch: ColumnBatch, unitRows: Int = 16384) {
    self.init(tables: [(batch.schema, MemoryBlockSource.units(of: batch, unitRows: unitRows))])
  }

  /// An empty `flows` table.
  public static var emptyFlows: MemoryTableProvider {
    MemoryTableProvider(tables: [(FlowSchema.flows, [])])
  }

  /// The schemas, sorted by name.
  public func tableSchemas() throws -> [TableSchema] {
    tables.values.map(\.0).sorted { $0.name < $1.name }
  }

  /// Every unit is one "segment"; units whose time zone map misses `timeRange` are pruned.
  public func snapshot(table: String, timeRange: Range<Int64>?) throws -> Snapshot {
    guard let (schema, units) = tables[table] else { throw StorageError.unknownTable(table) }
    guard let timeRange, let t = schema.timeIndex else {
      return Snapshot(schema: schema, units: units, prunedSegments: 0, keptSegments: units.count)
    }
    let kept = units.filter { u in
      guard t < u.zones.count, let z = u.zones[t], case .signed(let lo, let hi) = z.bounds else {
        return true
      }
      return hi >= timeRange.lowerBound && lo < timeRange.upperBound
    }
    return Snapshot(
      schema: schema, units: kept, prunedSegments: units.count - kept.count,
      keptSegments: kept.count)
  }
}
