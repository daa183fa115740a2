/// A predicate a scan pushes down to zone maps: a block is read only when its zone map says the
/// column may hold a value inside the range.
public struct ZonePredicate: Sendable, Equatable {
  /// The accepted values.
  public enum Range: Sendable, Equatable {
    /// An unsigned integer range (u8 … u64 columns).
    case unsigned(ClosedRange<UInt64>)
    /// A timestamp range in ms.
    case signed(ClosedRange<Int64>)
    /// An address range (a CIDR block is one range).
    case ip(ClosedRange<IPAddress>)
    /// Any non-NULL value.
    case notNull
  }

  /// The column's position in the table schema.
  public let column: Int
  /// The values the predicate accepts.
  public let range: Range

  /// Creates a predicate on the column at `column`.
  public init(column: Int, _ range: Range) {
    self.column = column
    self.range = range
  }

  /// False only when the zone map proves no row of the block can match.
  public func mayMatch(_ zone: ZoneMap?) -> Bool {
    guard let zone else { return true }
    if zone.nullCount == zone.rowCount { return false }
    switch (range, zone.bounds) {
    case (.unsigned(let r), .unsigned(let lo, let hi)): return r.overlaps(lo...hi)
    case (.signed(let r), .signed(let lo, let hi)): return r.overlaps(lo...hi)
    case (.ip(let r), .ip(let lo, let hi)): return r.overlaps(lo...hi)
    default: return true
    }
  }
}

extension Snapshot {
  /// The units whose zone maps admit every predicate.
  public func units(matching predicates: [ZonePredicate]) -> [ScanUnit] {
    units.filter { u in predicates.allSatisfy { $0.mayMatch(u.zones[$0.column]) } }
  }
}

extension StoreReader {
  /// Scans `table` block by block: only segments overlapping `timeRange`, only blocks whose zone
  /// maps admit `timeRange` and every predicate, decoding only `columns` (by name, in order).
  /// Calls `body` with each unit and its vectors; returns the number of blocks skipped.
  ///
  /// - Throws: ``StorageError/unknownTable(_:)``, ``StorageError/invalidBatch(_:)`` for an
  ///   unknown column name, corruption and system errors, or what `body` throws.
  @discardableResult
  public func scan(
    table: String, timeRange: Swift.Range<Int64>? = nil, columns: [String],
    where predicates: [ZonePredicate] = [],
    _ body: (ScanUnit, [ColumnVector]) throws -> Void
  ) throws -> Int {
    let snap = try snapshot(table: table, timeRange: timeRange)
    let positions = try columns.map { name in
      guard let i = snap.schema.index(of: name) else {
        throw StorageError.invalidBatch("no column '\(name)' in table \(table)")
      }
      return i
    }
    var all = predicates
    if let r = timeRange, r.upperBound > r.lowerBound, let t = snap.schema.timeIndex {
      all.append(ZonePredicate(column: t, .signed(r.lowerBound...(r.upperBound - 1))))
    }
    let kept = snap.units(matching: all)
    for u in kept { try body(u, try u.read(columns: positions)) }
    return snap.units.count - kept.count
  }
}
